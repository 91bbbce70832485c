using System.CommandLine;
using PromptIntern.Cli.Verbs;

namespace PromptIntern.Cli;

/// <summary>The promptintern command tree, built from every IVerb in this assembly; also runs it in-process with captured output (tests).</summary>
public static class CliApp
{
    /// <summary>The root is named "promptintern" for help and usage lines (a RootCommand would take the assembly's name).</summary>
    public static Command Build()
    {
        var root = new Command("promptintern", "promptintern — internalize recurring prompts (PromptIntern, EMNLP 2024 Findings) into a model's weights")
        {
            Options = { new System.CommandLine.Help.HelpOption(), new VersionOption() },
        };
        foreach (var verb in typeof(IVerb).Assembly.GetTypes()
                     .Where(t => typeof(IVerb).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
                     .Select(t => (IVerb)Activator.CreateInstance(t)!)
                     .Select(v => v.Build())
                     .OrderBy(c => c.Name))
            root.Subcommands.Add(verb);
        OptionRules.RequireFinite(root);
        return root;
    }

    /// <summary>Runs the CLI with every line it prints (tables, errors, help) written to <paramref name="output"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output) => Run(args, output, output);

    /// <summary>Runs the CLI with what it prints written to <paramref name="output"/> and its one-line errors to <paramref name="error"/>.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        using var _ = CliConsole.Redirect(output);
        return CliErrors.Run(args, new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, error);
    }
}
