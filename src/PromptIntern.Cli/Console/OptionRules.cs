using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace PromptIntern.Cli;

/// <summary>Range checks on numeric options, run while the command line is parsed: a bad value is refused with one line
/// naming the option before any work starts or any file is written. Every floating-point option also refuses NaN and
/// infinities (<see cref="RequireFinite"/>).</summary>
public static class OptionRules
{
    /// <summary>Values of at least <paramref name="min"/>.</summary>
    public static Option<T> AtLeast<T>(this Option<T> option, T min) where T : INumber<T> =>
        option.Check(v => v >= min, $"must be at least {Show(min)}");

    public static Option<T?> AtLeast<T>(this Option<T?> option, T min) where T : struct, INumber<T> =>
        option.Check(v => v is not { } x || x >= min, $"must be at least {Show(min)}");

    /// <summary>Values greater than zero.</summary>
    public static Option<T> Positive<T>(this Option<T> option) where T : INumber<T> =>
        option.Check(v => v > T.Zero, "must be greater than 0");

    public static Option<T?> Positive<T>(this Option<T?> option) where T : struct, INumber<T> =>
        option.Check(v => v is not { } x || x > T.Zero, "must be greater than 0");

    /// <summary>Values in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<T> Between<T>(this Option<T> option, T min, T max) where T : INumber<T> =>
        option.Check(v => v >= min && v <= max, $"must be between {Show(min)} and {Show(max)}");

    /// <summary>Values in (0, <paramref name="max"/>]: a fraction or rate where zero means nothing is left.</summary>
    public static Option<T> AboveZeroUpTo<T>(this Option<T> option, T max) where T : INumber<T> =>
        option.Check(v => v > T.Zero && v <= max, $"must be greater than 0 and at most {Show(max)}");

    /// <summary>Adds a check on values given on the command line (defaults are the kit's own and not checked).</summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T, bool> ok, string rule)
    {
        option.Validators.Add(result =>
        {
            if (result.Implicit || result.Tokens.Count == 0) return;
            T value;
            try { value = result.GetValueOrDefault<T>(); }
            catch (InvalidOperationException) { return; } // unparsable: System.CommandLine reports that itself
            if (!ok(value)) result.AddError($"{option.Name} {rule}, got {string.Join(" ", result.Tokens.Select(t => t.Value))}");
        });
        return option;
    }

    /// <summary>Makes every floating-point option under <paramref name="command"/> refuse NaN and infinities.</summary>
    public static void RequireFinite(Command command)
    {
        foreach (var option in command.Options)
        {
            if (option is Option<double> d) d.Check(double.IsFinite, "must be a finite number");
            else if (option is Option<double?> n) n.Check(v => v is not { } x || double.IsFinite(x), "must be a finite number");
        }
        foreach (var sub in command.Subcommands) RequireFinite(sub);
    }

    static string Show<T>(T value) where T : INumber<T> => value.ToString(null, CultureInfo.InvariantCulture);
}
