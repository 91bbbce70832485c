using System.CommandLine;
using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.Modeling;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary><c>promptintern generate</c>: completes prompts with a saved model (greedy by default) and shows tokens and latency;
/// with --task, writes the predictions for a task's rows that `promptintern eval` scores.</summary>
public sealed class GenerateVerb : IVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model folder (config.json, model.safetensors, tokenizer)", Required = true };
        var prompt = new Option<string[]>("--prompt") { Description = "Prompt text (repeat for a batch); or give --task" };
        var adapter = new Option<string?>("--adapter") { Description = "LoRA adapter folder (the kit's or PEFT's) applied to --model" };
        var task = new Option<string?>("--task") { Description = $"Predict a task's rows instead of --prompt, query-only (PromptIntern's inference layout): {string.Join(", ", TaskName.All)}" };
        var evalFile = new Option<string?>("--eval-file") { Description = "Rows to predict with --task (default: data/<task>/dev.jsonl)" };
        var limit = new Option<int?>("--limit") { Description = "With --task: only the first N rows" }.Positive();
        var predictions = new Option<string?>("--predictions") { Description = "With --task: predictions JSONL to write ({\"id\", \"prediction\"} per line, for `eval`)" };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Tokens to generate at most", DefaultValueFactory = _ => 64 }.Positive();
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy; > 0 samples", DefaultValueFactory = _ => 0.0 }.AtLeast(0.0);
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling mass (with --temperature > 0)", DefaultValueFactory = _ => 1.0 }.AboveZeroUpTo(1.0);
        var seed = new Option<long>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => 1337 };
        var stop = new Option<string[]>("--stop") { Description = "Stop sequence (repeatable; default: none, EOS always stops)" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "auto" };

        var cmd = new Command("generate", "Complete prompts with a model folder (KV cache, batched, left-padded)");
        foreach (var o in new Option[] { model, prompt, adapter, task, evalFile, limit, predictions, maxNew, temperature, topP, seed, stop, device }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            var taskName = p.GetValue(task) is { } tn ? TaskName.Parse(tn) : null;
            if (taskName is null && p.GetValue(prompt) is not { Length: > 0 }) throw new ArgumentException("generate: give --prompt or --task.");
            if (taskName is not null && p.GetValue(predictions) is null) throw new ArgumentException("--predictions: required with --task (the JSONL to write).");
            using var lm = CausalLanguageModel.Load(p.GetValue(model)!, Devices.Parse(p.GetValue(device)!));
            if (p.GetValue(adapter) is { } adapterDir) LoraAdapter.Load(lm.Model, adapterDir);
            if (taskName is not null)
            {
                var rows = JsonlDataset.Load(p.GetValue(evalFile) ?? KitPaths.Split(taskName, "dev"));
                if (p.GetValue(limit) is { } n) rows = rows.Take(n).ToList();
                var outPath = p.GetValue(predictions)!;
                var preds = TaskPredictions.Generate(lm, taskName, rows, p.GetValue(maxNew), lm.Device.type == TorchSharp.DeviceType.CUDA ? 64 : 16);
                TaskPredictions.Write(outPath, preds);
                AnsiConsole.MarkupLineInterpolated($"wrote {preds.Count} predictions to {outPath}");
                return 0;
            }
            var prompts = p.GetValue(prompt)!;
            var results = lm.Generate(prompts, new GenerationOptions
            {
                MaxNewTokens = p.GetValue(maxNew), Temperature = p.GetValue(temperature), TopP = p.GetValue(topP),
                Seed = p.GetValue(seed), StopSequences = p.GetValue(stop) ?? [],
            });
            var table = new Table().AddColumns("prompt", "completion", "prompt tokens", "new tokens", "finish", "batch ms");
            for (int i = 0; i < prompts.Length; i++)
                table.AddRow(Markup.Escape(prompts[i]), Markup.Escape(results[i].Text), results[i].PromptTokens.ToString(), results[i].GeneratedTokens.ToString(), results[i].FinishReason, results[i].LatencyMs.ToString("0.0"));
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }
}
