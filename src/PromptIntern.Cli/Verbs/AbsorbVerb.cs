using System.CommandLine;
using PromptIntern.Absorption;
using PromptIntern.Data;
using PromptIntern.Prompts;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary>`promptintern absorb show`: the examples the retriever picks for one query, with their scores.</summary>
public sealed class AbsorbVerb : IVerb
{
    public Command Build()
    {
        var task = CommonOptions.Task();
        var id = new Option<string>("--id") { Description = "id of the query (looked up in the eval file, then the train file)", Required = true };
        var shots = CommonOptions.Shots();
        shots.Description = "examples to retrieve";
        var trainFile = new Option<string?>("--train-file") { Description = "retrieval corpus [default: data/<task>/train.jsonl]" };
        var evalFile = CommonOptions.EvalFile();
        evalFile.Description = "where the query is looked up first [default: data/<task>/dev.jsonl]";
        var retriever = new Option<string>("--retriever")
        {
            Description = "bm25 (per query, over the train split) or fixed (the first rows of --shots-file, e.g. MBPP's prompt split)",
            DefaultValueFactory = _ => "bm25",
        };
        var shotsFile = new Option<string?>("--shots-file") { Description = "rows for --retriever fixed [default: data/mbpp/prompt.jsonl]" };

        var show = new Command("show", "print a query and the examples retrieved for it, with scores");
        foreach (var o in new Option[] { task, id, shots, trainFile, evalFile, retriever, shotsFile }) show.Options.Add(o);
        show.SetAction(r =>
        {
            string t = TaskName.Parse(r.GetValue(task)!);
            string trainPath = r.GetValue(trainFile) ?? KitPaths.Split(t, "train");
            string evalPath = CommonOptions.EvalPath(r.GetValue(evalFile), t);
            var train = JsonlDataset.Load(trainPath);
            var query = FindQuery(r.GetValue(id)!, evalPath, train, trainPath);
            string fixedPath = r.GetValue(shotsFile) ?? Path.Combine(KitPaths.Data, "mbpp", "prompt.jsonl");
            var (ret, corpus) = r.GetValue(retriever)!.Trim().ToLowerInvariant() switch
            {
                "bm25" => ((IExampleRetriever)new Bm25Retriever(train), $"corpus {Path.GetFileName(trainPath)}, {train.Count:N0} rows"),
                "fixed" => (new FixedShotsRetriever(JsonlDataset.Load(fixedPath)), $"fixed shots from {Path.GetFileName(fixedPath)}"),
                var other => throw new ArgumentException($"unknown retriever '{other}'; known: bm25, fixed"),
            };
            var hits = ret.Retrieve(query, r.GetValue(shots));

            CliConsole.Out.MarkupLine($"[bold]Query[/] {Markup.Escape(query.Id)}:");
            CliConsole.Out.WriteLine(TaskFormat.QueryText(t, query));
            var table = new Table().Title($"{hits.Count} examples by {ret.Name} ({Markup.Escape(corpus)})");
            table.AddColumn("rank").AddColumn("id").AddColumn(new TableColumn("score").RightAligned()).AddColumn("query").AddColumn("answer");
            foreach (var h in hits)
                table.AddRow(h.Rank.ToString(), Markup.Escape(h.Example.Id), h.Score.ToString("0.000"),
                    Markup.Escape(h.Example.Query), Markup.Escape(TaskFormat.AnswerText(t, h.Example)));
            CliConsole.Out.Write(table);
            return 0;
        });

        var absorb = new Command("absorb", "example absorption: retrieve the few-shot examples shown with each query");
        absorb.Subcommands.Add(show);
        return absorb;
    }

    static TaskExample FindQuery(string id, string evalPath, IReadOnlyList<TaskExample> train, string trainPath)
    {
        if (File.Exists(evalPath) && JsonlDataset.Load(evalPath).FirstOrDefault(e => e.Id == id) is { } fromEval) return fromEval;
        return train.FirstOrDefault(e => e.Id == id)
            ?? throw new ArgumentException($"id '{id}' is in neither {evalPath} nor {trainPath}");
    }
}
