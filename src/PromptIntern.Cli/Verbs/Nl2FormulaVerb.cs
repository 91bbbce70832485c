using System.CommandLine;
using PromptIntern.Data;
using PromptIntern.Datasets.Nl2Formula;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary><c>promptintern nl2formula generate</c>: writes the kit's own NL2Formula-style train/dev data.</summary>
public sealed class Nl2FormulaVerb : IVerb
{
    public Command Build()
    {
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same data)", DefaultValueFactory = _ => 7 };
        var train = new Option<int>("--train") { Description = "Rows in the train split", DefaultValueFactory = _ => 4000 }.Positive();
        var dev = new Option<int>("--dev") { Description = "Rows in the dev split", DefaultValueFactory = _ => 400 }.Positive();
        var output = new Option<string>("--out") { Description = "Output folder (train.jsonl, dev.jsonl, README.md)", DefaultValueFactory = _ => Path.Combine(KitPaths.Data, TaskName.Nl2Formula) };
        var generate = new Command("generate", "Generate NL2Formula-style data: tables, questions and formulas checked by the kit's evaluator");
        foreach (var o in new Option[] { seed, train, dev, output }) generate.Options.Add(o);
        generate.SetAction(p =>
        {
            int n = p.GetValue(train), m = p.GetValue(dev);
            var dir = OutputFolder.CheckWritable(p.GetValue(output)!, "--out");
            var summary = Nl2FormulaDataset.Write(dir, p.GetValue(seed), n, m);
            var table = new Table().AddColumns("split", "rows", "easy", "medium", "hard");
            foreach (var split in summary.Splits.Keys)
            {
                var levels = summary.Levels(split);
                table.AddRow(split, summary.Splits[split].Count.ToString(), levels.GetValueOrDefault("easy").ToString(),
                    levels.GetValueOrDefault("medium").ToString(), levels.GetValueOrDefault("hard").ToString());
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"wrote {Path.Combine(dir, "train.jsonl")}, {Path.Combine(dir, "dev.jsonl")}, {Path.Combine(dir, "README.md")}");
            return 0;
        });
        var command = new Command(TaskName.Nl2Formula, "NL2Formula tools: generate the kit's NL2Formula-style data set");
        command.Subcommands.Add(generate);
        return command;
    }
}
