using Spectre.Console;

// Namespace PromptIntern.Cli (not .Console) so that `Console` in CLI code still means System.Console.
namespace PromptIntern.Cli;

/// <summary>The Spectre console verbs print to: the terminal, or a captured writer while CliApp.Run redirects it.</summary>
public static class CliConsole
{
    static readonly AsyncLocal<IAnsiConsole?> Captured = new();
    static IAnsiConsole? _terminal;

    /// <summary>Wide enough for the kit's tables when output goes to a file or pipe, where Spectre would assume 80 columns.</summary>
    public const int RedirectedWidth = 160;

    public static IAnsiConsole Out => Captured.Value ?? (_terminal ??= CreateTerminal());

    /// <summary>Sends Out to <paramref name="writer"/> (no colours, fixed width) until the returned scope is disposed.</summary>
    public static IDisposable Redirect(TextWriter writer)
    {
        var previous = Captured.Value;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = RedirectedWidth;
        Captured.Value = console;
        return new Scope(() => Captured.Value = previous);
    }

    static IAnsiConsole CreateTerminal()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings());
        if (System.Console.IsOutputRedirected) console.Profile.Width = RedirectedWidth;
        return console;
    }

    sealed class Scope(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
