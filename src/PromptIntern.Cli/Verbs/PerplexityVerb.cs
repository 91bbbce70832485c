using System.CommandLine;
using PromptIntern.Data;
using PromptIntern.Modeling;
using PromptIntern.Training;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary><c>promptintern perplexity</c>: measures a base model's held-out perplexity (the task dev splits, which no corpus
/// contains) and records it as heldout.json in the model's folder, as <c>pretrain</c> does after training.</summary>
public sealed class PerplexityVerb : IVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "base model directory", DefaultValueFactory = _ => "data/models/tiny" };
        var window = new Option<int>("--window") { Description = "tokens per window", DefaultValueFactory = _ => HeldOutPerplexity.DefaultWindow };
        var maxTokens = new Option<long>("--max-tokens") { Description = "held-out tokens measured at most", DefaultValueFactory = _ => HeldOutPerplexity.DefaultMaxTokens };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "auto" };
        var cmd = new Command("perplexity", "measure a base model's held-out perplexity on the task dev splits; writes heldout.json into the model folder");
        foreach (var o in new Option[] { model, window, maxTokens, device }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            var dir = Path.GetFullPath(p.GetValue(model)!);
            if (!File.Exists(Path.Combine(dir, "config.json"))) throw new FileNotFoundException($"{dir}: no base model here (config.json missing); pass --model DIR");
            if (p.GetValue(window) < 2) throw new ArgumentException("--window: must be >= 2");
            using var lm = CausalLanguageModel.Load(dir, Devices.Parse(p.GetValue(device)!));
            var heldOut = HeldOutPerplexity.Measure(lm, HeldOutPerplexity.DevDocuments(KitPaths.Data), HeldOutPerplexity.DevSplits,
                p.GetValue(window), p.GetValue(maxTokens));
            heldOut.Write(dir);
            AnsiConsole.MarkupLine(Markup.Escape($"{HeldOutPerplexity.Describe(heldOut)} Wrote {Path.Combine(dir, HeldOutPerplexity.FileName)}"));
            return 0;
        });
        return cmd;
    }
}
