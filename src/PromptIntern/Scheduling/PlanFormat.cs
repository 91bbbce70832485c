using System.Globalization;

namespace PromptIntern.Scheduling;

/// <summary>Human-readable labels for layouts (used in file names and tables).</summary>
public static class PlanFormat
{
    /// <summary>"tr0.6_k2" = template kept at 0.6 with 2 shots; "tr0_k0" = template dropped, no shots.</summary>
    public static string LayoutLabel(double? templateRate, int shots) =>
        $"tr{(templateRate is { } r ? r.ToString("0.###", CultureInfo.InvariantCulture) : "0")}_k{shots}";
}
