using System.CommandLine;
using PromptIntern.Cli.Verbs;

var root = new RootCommand("promptintern — internalize recurring prompts (PromptIntern, EMNLP 2024 Findings) into a model's weights");
foreach (var verb in typeof(IVerb).Assembly.GetTypes()
             .Where(t => typeof(IVerb).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
             .Select(t => (IVerb)Activator.CreateInstance(t)!)
             .Select(v => v.Build())
             .OrderBy(c => c.Name))
    root.Subcommands.Add(verb);
return await root.Parse(args).InvokeAsync();
