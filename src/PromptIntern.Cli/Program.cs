using System.CommandLine;
using PromptIntern.Cli;

// Errors users cause (bad options, data, files) become one line on stderr and exit code 2 in every verb (CliErrors);
// anything else is a bug and keeps its stack trace.
return await CliErrors.RunAsync(args, new InvocationConfiguration { EnableDefaultExceptionHandler = false }, Console.Error);
