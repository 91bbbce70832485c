using System.CommandLine;
using PromptIntern.Modeling;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary><c>promptintern generate</c>: completes prompts with a saved model (greedy by default) and shows tokens and latency.</summary>
public sealed class GenerateVerb : IVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model folder (config.json, model.safetensors, tokenizer)", Required = true };
        var prompt = new Option<string[]>("--prompt") { Description = "Prompt text (repeat for a batch)", Required = true };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Tokens to generate at most", DefaultValueFactory = _ => 64 }.Positive();
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy; > 0 samples", DefaultValueFactory = _ => 0.0 }.AtLeast(0.0);
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling mass (with --temperature > 0)", DefaultValueFactory = _ => 1.0 }.AboveZeroUpTo(1.0);
        var seed = new Option<long>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => 1337 };
        var stop = new Option<string[]>("--stop") { Description = "Stop sequence (repeatable; default: none, EOS always stops)" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "auto" };

        var cmd = new Command("generate", "Complete prompts with a model folder (KV cache, batched, left-padded)");
        foreach (var o in new Option[] { model, prompt, maxNew, temperature, topP, seed, stop, device }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            using var lm = CausalLanguageModel.Load(p.GetValue(model)!, Devices.Parse(p.GetValue(device)!));
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
