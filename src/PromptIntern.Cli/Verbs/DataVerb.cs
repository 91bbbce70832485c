using System.CommandLine;
using PromptIntern.Data;
using PromptIntern.Prompts;
using PromptIntern.Text;

namespace PromptIntern.Cli.Verbs;

/// <summary>`promptintern data stats`: rows and token lengths per prompt part for each task's splits, or for one JSONL file (validated).</summary>
public sealed class DataVerb : IVerb
{
    public Command Build()
    {
        var task = new Option<string?>("--task") { Description = "one task [default: every task with data]" };
        var file = new Option<string?>("--file") { Description = "validate and summarize this JSONL file instead of the kit's splits (bad data: exit code 2)" };
        var tokenizer = CommonOptions.Tokenizer();
        var stats = new Command("stats", "rows and tokens per prompt part (template, query, answer) for each task and split");
        stats.Options.Add(task);
        stats.Options.Add(file);
        stats.Options.Add(tokenizer);
        stats.SetAction(r => Stats(r.GetValue(task), r.GetValue(file), CostTokenizer.Get(r.GetValue(tokenizer)!)));
        var data = new Command("data", "inspect the task datasets");
        data.Subcommands.Add(stats);
        return data;
    }

    static int Stats(string? task, string? file, CostTokenizer tok)
    {
        var rows = new List<IReadOnlyList<string>>();
        if (file != null)
        {
            var t = task == null ? null : TaskName.Parse(task);
            rows.Add(Summary(t ?? "(any)", file, JsonlDataset.Load(file), t, tok));
        }
        else
        {
            foreach (var t in task == null ? TaskName.All : [TaskName.Parse(task)])
            {
                var dir = Path.Combine(KitPaths.Data, t);
                var splits = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.jsonl").Order(StringComparer.Ordinal).ToList() : [];
                if (splits.Count == 0) { rows.Add([t, "(no data in " + Path.GetRelativePath(KitPaths.Root, dir) + ")", "-", "-", "-", "-", "-"]); continue; }
                foreach (var path in splits) rows.Add(Summary(t, path, JsonlDataset.Load(path), t, tok));
            }
        }
        CliTable.Print($"Dataset statistics (tokens: {tok.Name}; mean / max per row)",
            ["task", "file", "rows", "template", "query", "answer", "query+answer max"], rows);
        return 0;
    }

    static IReadOnlyList<string> Summary(string label, string path, IReadOnlyList<TaskExample> data, string? task, CostTokenizer tok)
    {
        var query = data.Select(e => tok.CountTokens(task == null ? e.Query : TaskFormat.QueryText(task, e))).ToList();
        var answer = data.Select(e => tok.CountTokens(task == null ? e.Answer : TaskFormat.AnswerText(task, e))).ToList();
        var template = task == null ? "-" : CliTable.Num(tok.CountTokens(TaskTemplates.Get(task)));
        return [label, RelativeToKit(path), CliTable.Num(data.Count), template,
            $"{CliTable.Num(query.Average(), 1)} / {query.Max()}", $"{CliTable.Num(answer.Average(), 1)} / {answer.Max()}",
            CliTable.Num(query.Zip(answer, (q, a) => q + a).Max())];
    }

    internal static string RelativeToKit(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var rel = Path.GetRelativePath(KitPaths.Root, full);
            return rel.StartsWith("..", StringComparison.Ordinal) ? full : rel;
        }
        catch (DirectoryNotFoundException) { return full; }
    }
}
