using System.CommandLine;
using System.CommandLine.Parsing;
using System.Reflection;
using PromptIntern.Data;
using PromptIntern.Training;

namespace PromptIntern.Cli;

/// <summary>Parses and runs a command line (Program, CliApp.Run). Errors users cause in any verb (bad options, bad data, missing
/// or unwritable files, damaged checkpoints, diverged training) become exactly one line on the error stream and exit code 2;
/// other exceptions are bugs and keep their stack trace.</summary>
public static class CliErrors
{
    public const int UserError = 2;

    public static int Run(string[] args, InvocationConfiguration config, TextWriter error)
    {
        var parse = CliApp.Build().Parse(args);
        if (parse.Errors.Count > 0) return ReportParse(parse, error);
        try { return parse.Invoke(config); }
        catch (Exception e) when (UserCause(e) is { } cause) { return Report(cause, error); }
    }

    public static async Task<int> RunAsync(string[] args, InvocationConfiguration config, TextWriter error)
    {
        var parse = CliApp.Build().Parse(args);
        if (parse.Errors.Count > 0) return ReportParse(parse, error);
        try { return await parse.InvokeAsync(config); }
        catch (Exception e) when (UserCause(e) is { } cause) { return Report(cause, error); }
    }

    /// <summary>The user error behind <paramref name="e"/> (looking through wrappers such as a parallel loop's), or null for a bug.</summary>
    public static Exception? UserCause(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or TargetInvocationException { InnerException: not null })
            e = e.InnerException!;
        return e is DataFormatException or ArgumentException or IOException or UnauthorizedAccessException or InvalidDataException
            or TrainingFailedException ? e : null;
    }

    /// <summary>One line: the message with its line breaks folded, so that a log or a pipe gets it whole.</summary>
    public static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    static int ReportParse(ParseResult parse, TextWriter error)
    {
        var messages = parse.Errors.Select(e => e.Message).Distinct().ToList();
        var names = new List<string>();
        // The root (no parent) is the program itself.
        for (SymbolResult? r = parse.CommandResult; r is CommandResult { Parent: not null } c; r = r.Parent) names.Insert(0, c.Command.Name);
        var verb = string.Join(" ", names);
        return Write(error, string.Join("; ", messages) + $" (see: promptintern {verb}{(verb.Length > 0 ? " " : "")}--help)");
    }

    static int Report(Exception e, TextWriter error) => Write(error, e.Message);

    static int Write(TextWriter error, string message)
    {
        bool terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        error.WriteLine((terminal ? "\u001b[31merror:\u001b[0m " : "error: ") + OneLine(message));
        error.Flush();
        return UserError;
    }
}
