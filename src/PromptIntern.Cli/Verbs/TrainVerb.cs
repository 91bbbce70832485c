using System.CommandLine;
using PromptIntern.Data;
using PromptIntern.Modeling;
using PromptIntern.Training;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary><c>promptintern train</c>: supervised fine-tuning (LoRA by default, or full) on prompt/completion or chat JSONL; loss on the completion only.</summary>
public sealed class TrainVerb : IVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Base model folder (config.json, model.safetensors, tokenizer)", Required = true };
        var data = new Option<string?>("--data") { Description = "JSONL with {\"prompt\",\"completion\"} or {\"messages\":[...]} rows; with --task, the task's own rows (default: data/<task>/train.jsonl)" };
        var task = new Option<string?>("--task") { Description = "Kit task (nl2bash, mbpp, nl2formula): rows in the kit schema, trained query-only (default: none)" };
        var outDir = new Option<string>("--out") { Description = "Run folder: train_config.json, logs/, checkpoint/, model/ (merged), adapter/ (LoRA)", Required = true };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps (max_steps)", DefaultValueFactory = _ => 200 }.Positive();
        var batch = new Option<int>("--batch") { Description = "Examples per micro-batch", DefaultValueFactory = _ => 8 }.Positive();
        var accum = new Option<int>("--grad-accum") { Description = "Micro-batches per optimizer step", DefaultValueFactory = _ => 1 }.Positive();
        var seq = new Option<int>("--seq") { Description = "Max tokens per example (long prompts lose their start)", DefaultValueFactory = _ => 512 }.AtLeast(2);
        var lr = new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 1e-3 }.Positive();
        var warmup = new Option<int>("--warmup") { Description = "Warm-up steps", DefaultValueFactory = _ => 10 }.AtLeast(0);
        var loraR = new Option<int>("--lora-r") { Description = "LoRA rank r (0 = full fine-tuning)", DefaultValueFactory = _ => 8 }.AtLeast(0);
        var loraAlpha = new Option<double>("--lora-alpha") { Description = "LoRA alpha (scaling = alpha / r)", DefaultValueFactory = _ => 16 }.Positive();
        var loraDropout = new Option<double>("--lora-dropout") { Description = "LoRA dropout", DefaultValueFactory = _ => 0.05 }.Check(v => v >= 0 && v < 1, "must be at least 0 and below 1");
        var targets = new Option<string>("--target-modules") { Description = "Comma-separated module names or all-linear", DefaultValueFactory = _ => "q_proj,v_proj" };
        var logEvery = new Option<int>("--log-interval") { Description = "Steps per log line", DefaultValueFactory = _ => 10 }.Positive();
        var saveEvery = new Option<int>("--save-interval") { Description = "Steps per checkpoint", DefaultValueFactory = _ => 100 }.AtLeast(0);
        var seed = new Option<long>("--seed") { Description = "Seed", DefaultValueFactory = _ => 1337 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "auto" };
        var precision = new Option<string>("--precision") { Description = "auto (bf16-mixed on CUDA, else fp32), fp32, bf16 or bf16-mixed (bf16 compute over fp32 master weights)", DefaultValueFactory = _ => "auto" };
        var noResume = new Option<bool>("--no-resume") { Description = "Start over even if --out has a checkpoint (default: resume)" };

        var cmd = new Command("train", "Fine-tune a model on prompt/completion pairs (completion-only loss), LoRA or full");
        var checkpointing = new Option<bool>("--activation-checkpointing") { Description = "Recompute each decoder block in the backward pass (less memory, one more forward)" };
        foreach (var o in new Option[] { model, data, task, outDir, steps, batch, accum, seq, lr, warmup, loraR, loraAlpha, loraDropout, targets, logEvery, saveEvery, seed, device, precision, checkpointing, noResume }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            var taskName = p.GetValue(task);
            var pairs = taskName is not null
                ? TrainingData.FromTask(taskName, p.GetValue(data) ?? KitPaths.Split(taskName, "train"))
                : TrainingData.LoadJsonl(p.GetValue(data) ?? throw new ArgumentException("train: give --data (prompt/completion or messages JSONL) or --task."));
            var dev = Devices.Parse(p.GetValue(device)!);
            var options = new TrainOptions
            {
                MaxSteps = p.GetValue(steps), MicroBatchSize = p.GetValue(batch), GradientAccumulation = p.GetValue(accum),
                MaxSeqLength = p.GetValue(seq), LearningRate = p.GetValue(lr), WarmupSteps = p.GetValue(warmup),
                LogInterval = p.GetValue(logEvery), SaveInterval = p.GetValue(saveEvery), Seed = p.GetValue(seed),
                Precision = TrainOptions.ResolvePrecision(p.GetValue(precision)!, dev), Resume = !p.GetValue(noResume), ActivationCheckpointing = p.GetValue(checkpointing),
                Lora = ModelCli.Lora(p.GetValue(loraR), p.GetValue(loraAlpha), p.GetValue(loraDropout), p.GetValue(targets)!),
            }.Validate();
            var run = OutputFolder.CheckWritable(p.GetValue(outDir)!, "--out");
            using var lm = CausalLanguageModel.Load(p.GetValue(model)!, dev);
            AnsiConsole.MarkupLine($"train: {pairs.Count} examples, {(options.Lora is null ? "full fine-tuning" : $"LoRA r={options.Lora.R} on {string.Join(",", options.Lora.TargetModules)}")}, {dev.type}");
            AnsiConsole.WriteLine(options.ToJson());
            var summary = ModelCli.WithProgressBar("train", options.MaxSteps, progress => SupervisedFineTuner.Train(lm, pairs, options, run, progress));
            var modelDir = Path.Combine(run, "model");
            lm.Save(modelDir);
            if (lm.Lora is not null) lm.Lora.Save(Path.Combine(run, "adapter"), baseModel: Path.GetFullPath(p.GetValue(model)!));
            ModelCli.PrintSummary(summary, modelDir);
            return 0;
        });
        return cmd;
    }
}
