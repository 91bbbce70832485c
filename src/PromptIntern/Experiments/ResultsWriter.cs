using System.Text.Json;
using PromptIntern.Data;
using PromptIntern.Evaluation;
using PromptIntern.Prompts;
using PromptIntern.Provenance;

namespace PromptIntern.Experiments;

/// <summary>Writes one experiment's folder: config.json (effective config + commit, machine, date), metrics.json,
/// predictions.jsonl (prediction, reference and scores per example; prompts are left out — they are rebuilt from the
/// config and would make results too large to travel to the GPU machine), table.csv and table.md. Every file atomically.</summary>
public static class ResultsWriter
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string dir, ExperimentResult result, TaskSetup setup, IReadOnlyList<PromptParts> prompts,
        IReadOnlyList<string> predictions, MetricReport report, IReadOnlyDictionary<string, object?> config)
    {
        Directory.CreateDirectory(dir);
        var provenance = RunProvenance.Capture(config);
        AtomicFile.WriteAllText(Path.Combine(dir, "config.json"), provenance.ToJson());
        AtomicFile.WriteLines(Path.Combine(dir, "predictions.jsonl"), setup.Eval.Select((e, i) => JsonSerializer.Serialize(new
        {
            id = e.Id,
            prompt_chars = PromptRenderer.ToText(prompts[i]).Length,
            prediction = predictions[i],
            reference = e.Answer,
            scores = report.Examples[i].Scores,
            detail = report.Examples[i].Detail,
        })));
        var table = ResultsTable.From([result]);
        AtomicFile.WriteAllText(Path.Combine(dir, "table.csv"), table.ToCsv());
        AtomicFile.WriteAllText(Path.Combine(dir, "table.md"), table.ToMarkdown());
        // metrics.json last: its presence marks the experiment as finished.
        AtomicFile.WriteAllText(Path.Combine(dir, "metrics.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["result"] = result, ["commit"] = provenance.Commit, ["machine"] = provenance.Machine, ["date_utc"] = provenance.DateUtc,
        }, Indented));
    }
}
