using System.Globalization;
using PromptIntern.Data;

namespace PromptIntern.Experiments;

/// <summary>One line of a grid file: a task, its methods, the first seed, the number of seeds and, optionally, the train rows
/// (another training-set size runs as preset "&lt;preset&gt;-n&lt;rows&gt;", its own table in the report).</summary>
public sealed record GridLine(string Task, IReadOnlyList<string> Methods, int FirstSeed, int Seeds, int? TrainRows = null);

/// <summary>A reproduction grid: lines "task methods first-seed seeds [train-rows]" in priority order ('#' starts a comment), worked down
/// by <see cref="Run"/> until a deadline, e.g. one GPU call's time. Finished experiments are skipped, so a repeated call
/// continues where the last one stopped.</summary>
public static class ReproductionGrid
{
    public static IReadOnlyList<GridLine> Load(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file", "file not found");
        var lines = new List<GridLine>();
        var n = 0;
        foreach (var raw in File.ReadLines(path))
        {
            n++;
            var text = raw.Split('#')[0].Trim();
            if (text.Length == 0) continue;
            var f = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length is < 4 or > 5) throw new DataFormatException(path, n, "line", $"expected 'task methods first-seed seeds [train-rows]', got {f.Length} fields");
            string task;
            try { task = TaskName.Parse(f[0]); }
            catch (ArgumentException e) { throw new DataFormatException(path, n, "task", e.Message); }
            var methods = f[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var m in methods)
                if (!MethodCatalog.Names.Contains(m)) throw new DataFormatException(path, n, "methods", $"unknown method '{m}'");
            if (!int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
                throw new DataFormatException(path, n, "first-seed", $"'{f[2]}' is not a seed");
            if (!int.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var seeds) || seeds < 1)
                throw new DataFormatException(path, n, "seeds", $"'{f[3]}' is not a positive count");
            int? rows = null;
            if (f.Length == 5)
                rows = int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0 ? r
                    : throw new DataFormatException(path, n, "train-rows", $"'{f[4]}' is not a positive row count");
            lines.Add(new GridLine(task, methods, first, seeds, rows));
        }
        return lines;
    }

    /// <summary>Runs each line in turn with <paramref name="options"/>' preset, model and workspace, starting no new line
    /// after <paramref name="stopAfter"/>.</summary>
    public static IReadOnlyList<ReproductionRun> Run(ReproductionOptions options, IReadOnlyList<GridLine> grid, DateTime? stopAfter = null,
        IProgress<ReproductionProgress>? progress = null)
    {
        var runs = new List<ReproductionRun>();
        foreach (var line in grid)
        {
            if (stopAfter is { } t && DateTime.UtcNow >= t) break;
            runs.Add(Reproduction.Run(options with
            {
                Preset = line.TrainRows is { } rows
                    ? options.Preset with { Tasks = [line.Task], Methods = line.Methods, Name = $"{options.Preset.Name}-n{rows}", TrainRows = rows }
                    : options.Preset with { Tasks = [line.Task], Methods = line.Methods },
                FirstSeed = line.FirstSeed, Seeds = line.Seeds,
            }, progress));
        }
        return runs;
    }
}
