using System.CommandLine;
using PromptIntern.Data;
using PromptIntern.Modeling;
using PromptIntern.Text;
using PromptIntern.Training;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary><c>promptintern pretrain</c>: trains a Llama-style base model from scratch on a text corpus; resumable.</summary>
public sealed class PretrainVerb : IVerb
{
    public Command Build()
    {
        var corpus = new Option<string[]>("--corpus") { Description = "A `corpus build` folder, or text files/folders (.jsonl: each line's string fields form one document; other files: one document each)", Required = true, AllowMultipleArgumentsPerToken = true };
        var config = new Option<string>("--config") { Description = $"Model preset ({string.Join(", ", LlamaConfig.PresetNames)}) or a config.json path", DefaultValueFactory = _ => "tiny" };
        var tokenizer = new Option<string>("--tokenizer") { Description = "Folder with the model tokenizer's files, or 'byte' for the byte-level tokenizer", DefaultValueFactory = _ => Path.Combine(KitPaths.Data, "tokenizer") };
        var outDir = new Option<string>("--out") { Description = "Run folder: train_config.json, logs/metrics.jsonl, checkpoint/, model/ (the final model)", Required = true };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps (max_steps)", DefaultValueFactory = _ => 1000 }.Positive();
        var batch = new Option<int>("--batch") { Description = "Sequences per micro-batch (micro_batch_size)", DefaultValueFactory = _ => 8 }.Positive();
        var accum = new Option<int>("--grad-accum") { Description = "Micro-batches per optimizer step", DefaultValueFactory = _ => 1 }.Positive();
        var seq = new Option<int>("--seq") { Description = "Window length in tokens (max_seq_length)", DefaultValueFactory = _ => 256 }.AtLeast(2);
        var lr = new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 1e-3 }.Positive();
        var warmup = new Option<int>("--warmup") { Description = "Linear warm-up steps before cosine decay to lr/10", DefaultValueFactory = _ => 50 }.AtLeast(0);
        var logEvery = new Option<int>("--log-interval") { Description = "Steps per log line", DefaultValueFactory = _ => 10 }.Positive();
        var saveEvery = new Option<int>("--save-interval") { Description = "Steps per checkpoint", DefaultValueFactory = _ => 200 }.AtLeast(0);
        var seed = new Option<long>("--seed") { Description = "Seed for init and data order", DefaultValueFactory = _ => 1337 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "auto" };
        var precision = new Option<string>("--precision") { Description = "auto (bf16-mixed on CUDA, else fp32), fp32, bf16 or bf16-mixed (bf16 compute over fp32 master weights)", DefaultValueFactory = _ => "auto" };
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp (0 = its default)", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var noResume = new Option<bool>("--no-resume") { Description = "Start over even if --out has a checkpoint (default: resume)" };
        var deterministic = new Option<bool>("--deterministic") { Description = "Deterministic kernels only: the same weights from the same command on the same GPU model and software (CUDA: set CUBLAS_WORKSPACE_CONFIG=:4096:8)" };

        var cudaGraph = new Option<bool>("--cuda-graph") { Description = "Capture the training step once as a CUDA graph and replay it (CUDA with the native extension; --grad-accum 1)" };
        var cmd = new Command("pretrain", "Pretrain a small Llama-style base model on a local text corpus (resumes from --out's checkpoint)");
        foreach (var o in new Option[] { corpus, config, tokenizer, outDir, steps, batch, accum, seq, lr, warmup, logEvery, saveEvery, seed, device, precision, threads, noResume, deterministic, cudaGraph }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            if (p.GetValue(threads) > 0) TorchSharp.torch.set_num_threads(p.GetValue(threads));
            var cfgName = p.GetValue(config)!;
            var cfg = File.Exists(cfgName) ? LlamaConfig.Load(cfgName) : LlamaConfig.Preset(cfgName);
            var tokName = p.GetValue(tokenizer)!;
            ITokenizer tok = tokName == "byte" ? new ByteTokenizer() : TokenizerFiles.Load(tokName);
            var docs = ModelCli.ReadCorpus(p.GetValue(corpus)!);
            var dev = Devices.Parse(p.GetValue(device)!);
            var options = new TrainOptions
            {
                MaxSteps = p.GetValue(steps), MicroBatchSize = p.GetValue(batch), GradientAccumulation = p.GetValue(accum),
                MaxSeqLength = p.GetValue(seq), LearningRate = p.GetValue(lr), WarmupSteps = p.GetValue(warmup),
                LogInterval = p.GetValue(logEvery), SaveInterval = p.GetValue(saveEvery), Seed = p.GetValue(seed),
                Precision = TrainOptions.ResolvePrecision(p.GetValue(precision)!, dev), Resume = !p.GetValue(noResume), Deterministic = p.GetValue(deterministic),
                CudaGraph = p.GetValue(cudaGraph),
            }.Validate();
            var run = OutputFolder.CheckWritable(p.GetValue(outDir)!, "--out");
            using var lm = CausalLanguageModel.Create(cfg, tok, dev, options.Seed);
            AnsiConsole.MarkupLine($"pretrain: {lm.Model.ParameterCount():N0} parameters on {dev.type}, {docs.Count} documents, vocab {tok.VocabSize}");
            AnsiConsole.WriteLine(options.ToJson());
            var summary = ModelCli.WithProgressBar("pretrain", options.MaxSteps, progress => Pretrainer.Train(lm, docs, options, run, progress));
            var modelDir = Path.Combine(run, "model");
            lm.Save(modelDir);
            ModelCli.PrintSummary(summary, modelDir);
            var heldOut = HeldOutPerplexity.Measure(lm, HeldOutPerplexity.DevDocuments(KitPaths.Data), HeldOutPerplexity.DevSplits);
            heldOut.Write(modelDir);
            AnsiConsole.MarkupLine(Markup.Escape($"{HeldOutPerplexity.Describe(heldOut)} Wrote {Path.Combine(modelDir, HeldOutPerplexity.FileName)}"));
            AnsiConsole.MarkupLine($"metrics: {Markup.Escape(Path.Combine(run, TrainingLoop.MetricsFile))}");
            return 0;
        });
        return cmd;
    }
}
