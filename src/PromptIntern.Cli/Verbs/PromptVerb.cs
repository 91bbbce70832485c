using System.CommandLine;
using PromptIntern.Data;
using PromptIntern.Prompts;
using PromptIntern.Text;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary>`promptintern prompt show`: renders one full prompt (template + shots + query) and counts tokens per part.</summary>
public sealed class PromptVerb : IVerb
{
    public Command Build()
    {
        var task = CommonOptions.Task();
        var shots = CommonOptions.Shots();
        var id = new Option<string?>("--id") { Description = "row id of the query [default: the first row of the eval file]" };
        var evalFile = CommonOptions.EvalFile();
        evalFile.Aliases.Add("--file");
        var format = new Option<string>("--format") { Description = "text (what a causal LM continues) or chat (system/user messages)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "chat");
        var show = new Command("show", "render one prompt and print its tokens per part (o200k_base and cl100k_base)");
        foreach (var o in new Option[] { task, shots, id, evalFile, format }) show.Options.Add(o);
        show.SetAction(r => Show(TaskName.Parse(r.GetValue(task)!), r.GetValue(shots), r.GetValue(id), r.GetValue(evalFile), r.GetValue(format)!));
        var templates = new Command("templates", "tokens of each task's instruction template under each cost tokenizer, and its forced spans");
        templates.SetAction(_ => Templates());
        var prompt = new Command("prompt", "inspect prompts");
        prompt.Subcommands.Add(show);
        prompt.Subcommands.Add(templates);
        return prompt;
    }

    static int Templates()
    {
        CliTable.Print("Instruction templates (data/templates/<task>.md)", ["task", "chars", .. CostTokenizer.Known, "forced spans"],
            TaskName.All.Select(t => (IReadOnlyList<string>)
            [
                t, CliTable.Num(TaskTemplates.Get(t).Length), .. CostTokenizer.Known.Select(n => CliTable.Num(CostTokenizer.Get(n).CountTokens(TaskTemplates.Get(t)))),
                string.Join("; ", TaskTemplates.ForcedSpans(t)),
            ]));
        return 0;
    }

    static int Show(string task, int shots, string? id, string? evalFile, string format)
    {
        var evalPath = CommonOptions.EvalPath(evalFile, task);
        var rows = JsonlDataset.Load(evalPath);
        var row = id == null ? rows[0] : rows.FirstOrDefault(e => e.Id == id)
            ?? throw new ArgumentException($"no row with id '{id}' in {evalPath}");
        var train = JsonlDataset.Load(KitPaths.Split(task, "train"));
        var parts = new PromptParts(TaskTemplates.Get(task), FirstShots.Select(task, train, shots, row.Id), TaskFormat.QueryText(task, row));

        var console = CliConsole.Out;
        console.Write(new Rule(Markup.Escape($"{task} / {row.Id} — template + {parts.Examples.Count} shots (first rows of train) + query")));
        if (format == "chat")
            foreach (var m in PromptRenderer.ToChat(parts))
            {
                console.MarkupLine($"[bold]<{m.Role}>[/]");
                console.WriteLine(m.Content);
            }
        else
            console.WriteLine(PromptRenderer.ToText(parts));
        console.Write(new Rule("reference answer"));
        console.WriteLine(TaskFormat.AnswerText(task, row));

        var counts = CostTokenizer.Known.Select(n => PromptTokens.Count(parts, CostTokenizer.Get(n))).ToList();
        CliTable.Print($"Tokens per prompt part ({task}, {row.Id})", ["part", .. counts.Select(c => c.Tokenizer)],
        [
            ["template", .. counts.Select(c => CliTable.Num(c.Template))],
            [$"examples ({parts.Examples.Count})", .. counts.Select(c => CliTable.Num(c.Examples))],
            ["query", .. counts.Select(c => CliTable.Num(c.Query))],
            ["total (rendered text)", .. counts.Select(c => CliTable.Num(c.Total))],
        ]);
        return 0;
    }
}
