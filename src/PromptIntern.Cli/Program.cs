using System.CommandLine;
using PromptIntern.Cli;

// Errors users cause (bad data, arguments, missing files) become one red line and exit code 2 in every verb
// (CliErrors); anything else is a bug and keeps its stack trace.
return await CliErrors.RunAsync(() => CliApp.Build().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
