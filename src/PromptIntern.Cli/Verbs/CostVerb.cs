using System.CommandLine;
using PromptIntern.Data;
using PromptIntern.Evaluation.Cost;
using PromptIntern.Prompts;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary>`promptintern cost`: input tokens per query and money for N queries — full prompt vs truncated template vs query only.</summary>
public sealed class CostVerb : IVerb
{
    public Command Build()
    {
        var task = new Option<string?>("--task") { Description = "one task [default: every task with an eval file]" };
        var shots = CommonOptions.Shots();
        var queries = new Option<long>("--queries") { Description = "number of queries to price", DefaultValueFactory = _ => 1_000_000 }.Positive();
        var model = new Option<string>("--model") { Description = "priced model (a name in the price table)", DefaultValueFactory = _ => "gpt-3.5-turbo-ft" };
        var evalFile = CommonOptions.EvalFile();
        var prices = new Option<string?>("--prices") { Description = "price table JSON [default: data/prices.json]" };
        var keep = new Option<double>("--template-keep") { Description = "fraction of template tokens the truncated layout keeps", DefaultValueFactory = _ => 0.3 }.Between(0.0, 1.0);
        var cost = new Command("cost", "tokens per query and cost of N queries: full prompt vs truncated template vs query only (PromptIntern)");
        foreach (var o in new Option[] { task, shots, queries, model, evalFile, prices, keep }) cost.Options.Add(o);
        cost.SetAction(r =>
        {
            var table = r.GetValue(prices) is { } p ? PriceTable.Load(p) : PriceTable.Default;
            var price = table.Get(r.GetValue(model)!);
            var tasks = r.GetValue(task) is { } t ? [TaskName.Parse(t)] : TaskName.All;
            foreach (var one in tasks)
            {
                var evalPath = CommonOptions.EvalPath(r.GetValue(evalFile), one);
                if (r.GetValue(task) == null && !File.Exists(evalPath))
                {
                    CliConsole.Out.MarkupLine($"[yellow]{one}: skipped, no eval file {Markup.Escape(DataVerb.RelativeToKit(evalPath))}[/]");
                    continue;
                }
                Print(one, evalPath, r.GetValue(shots), price, r.GetValue(queries), r.GetValue(keep));
            }
            CliConsole.Out.MarkupLine($"Prices: {Markup.Escape(DataVerb.RelativeToKit(table.Path))} ({Markup.Escape(price.Model)}: {Markup.Escape(price.Source)}; as of {price.AsOf:yyyy-MM-dd}).");
            CliConsole.Out.MarkupLine("Paper's claim, for comparison (Zou et al., 2024, abstract): input tokens reduced by over 90%, inference cost by 88.3%.");
            return 0;
        });
        return cost;
    }

    static void Print(string task, string evalPath, int shots, ModelPrice price, long queries, double keep)
    {
        var evalRows = JsonlDataset.Load(evalPath);
        var train = JsonlDataset.Load(KitPaths.Split(task, "train"));
        var layouts = LayoutCostComparison.Compare(task, evalRows, TaskTemplates.Get(task), e => FirstShots.Select(task, train, shots, e.Id), price, queries, keep);
        CliTable.Print(
            $"{task}: {CliTable.Num(queries)} queries on {price.Display} (${price.InputPerMillion}/1M in, ${price.OutputPerMillion}/1M out)",
            ["layout", "template", "shots", "query", "input tok/query", "output tok/query", "input $", "output $", "total $", "input saved", "cost saved"],
            layouts.Select(l => (IReadOnlyList<string>)
            [
                l.Layout, CliTable.Num(l.TemplateTokens, 1), CliTable.Num(l.ExampleTokens, 1), CliTable.Num(l.QueryTokens, 1),
                CliTable.Num(l.InputTokensPerQuery, 1), CliTable.Num(l.Cost.OutputTokensPerQuery, 1),
                CliTable.Num(l.Cost.InputCost, 2), CliTable.Num(l.Cost.OutputCost, 2), CliTable.Num(l.Cost.TotalCost, 2),
                CliTable.Percent(l.InputSavingVsFull), CliTable.Percent(l.CostSavingVsFull),
            ]),
            caption: $"tokens by {price.Tokenizer}; mean over {evalRows.Count} rows of {DataVerb.RelativeToKit(evalPath)}; {shots} shots (first rows of train); output = reference answers");
        foreach (var l in layouts) CliConsole.Out.MarkupLine($"  [grey]{Markup.Escape(l.Layout)}: {Markup.Escape(l.Description)}[/]");
    }
}
