using PromptIntern.Cli;

return await CliApp.Build().Parse(args).InvokeAsync();
