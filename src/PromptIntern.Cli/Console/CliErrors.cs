using PromptIntern.Data;
using Spectre.Console;

namespace PromptIntern.Cli;

/// <summary>Runs the command line (Program, CliApp.Run) and turns the errors users cause in any verb (bad data, bad arguments,
/// missing files) into one red line and exit code 2; other exceptions are bugs and keep their stack trace.</summary>
public static class CliErrors
{
    public const int UserError = 2;

    public static int Run(Func<int> body)
    {
        try { return body(); }
        catch (Exception e) when (IsUserError(e)) { return Report(e); }
    }

    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try { return await body(); }
        catch (Exception e) when (IsUserError(e)) { return Report(e); }
    }

    static bool IsUserError(Exception e) => e is DataFormatException or InvalidDataException or ArgumentException or FileNotFoundException or DirectoryNotFoundException;

    static int Report(Exception e)
    {
        CliConsole.Out.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
        return UserError;
    }
}
