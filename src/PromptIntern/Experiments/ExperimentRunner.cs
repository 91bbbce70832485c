using System.Diagnostics;
using PromptIntern.Compression;
using PromptIntern.Curriculum;
using PromptIntern.Data;
using PromptIntern.Evaluation.Cost;
using PromptIntern.Evaluation.Latency;
using PromptIntern.Modeling;
using PromptIntern.Prompts;
using PromptIntern.Scheduling;
using PromptIntern.Text;
using PromptIntern.Training;
using TorchSharp;

namespace PromptIntern.Experiments;

/// <summary>What the runner is doing now, for progress bars: a phase label and, while training, the step.</summary>
public sealed record ExperimentProgress(string Task, string Phase, int Step = 0, int MaxSteps = 0, double Loss = double.NaN);

/// <summary>Runs experiments = task × method × plan × base model × seed: trains each plan once (progressively, resumable
/// under <see cref="RunsRoot"/>), queries the trained model with each method's inference layout, scores it, times it,
/// prices it, and writes one folder per experiment, <c>&lt;experimentsRoot&gt;/&lt;id&gt;/</c>. An experiment whose metrics.json
/// exists there is skipped unless forced.</summary>
public sealed class ExperimentRunner(ReproducePreset preset, string experimentsRoot, string runsRoot, IProgress<ExperimentProgress>? progress = null)
{
    /// <summary>Where experiment folders go (results/experiments for committed ones, a workspace's experiments/ otherwise).</summary>
    public string ExperimentsRoot { get; } = experimentsRoot;
    /// <summary>Where training checkpoints go (resumable).</summary>
    public string RunsRoot { get; } = runsRoot;
    public bool Force { get; init; }
    public string ModelDirectory { get; init; } = Path.Combine(KitPaths.Root, preset.Model);
    /// <summary>Plans by name that are not Scheduling presets (e.g. a user's plan file, the schedule search's grid).</summary>
    public IReadOnlyDictionary<string, InternalizationPlan> Plans { get; init; } = new Dictionary<string, InternalizationPlan>();
    /// <summary>LoRA for every fine-tuning run; null = full fine-tuning.</summary>
    public LoraConfig? Lora { get; init; }
    /// <summary>The compressor that shrinks the template in the curriculum's stages (Compression.Compressors names).</summary>
    public string TemplateCompressorName { get; init; } = Compressors.LlmLingua2;
    /// <summary>Fine-tune with deterministic kernels only (<see cref="Training.DeterministicKernels"/>), as the nano base is
    /// pretrained on the GPU, so a rerun on the same GPU model and software gives the same model (CUDA needs
    /// CUBLAS_WORKSPACE_CONFIG=:4096:8). Part of the experiment id: such rows never mix with default-kernel ones.</summary>
    public bool DeterministicTraining { get; init; }

    /// <summary>Experiments <see cref="Run"/> loaded from an earlier run's metrics.json instead of running them.</summary>
    public int Reused { get; private set; }

    /// <summary>Runs <paramref name="methods"/> on one task; methods sharing a plan share one trained model.</summary>
    public IReadOnlyList<ExperimentResult> Run(TaskSetup setup, IReadOnlyList<MethodSpec> methods, int seed)
    {
        var device = Devices.Parse(preset.Device);
        torch.manual_seed(seed);
        using var scorerModel = CausalLanguageModel.Load(ModelDirectory, device);
        var scorer = new CausalLmTokenScorer(scorerModel);
        var builder = new CurriculumBuilder(setup.Template, CompressorFor(TemplateCompressorName, scorer), setup.ForceKeepSpans, setup.Retriever, setup.Format);
        var results = new List<ExperimentResult>();
        foreach (var group in methods.GroupBy(m => m.Plan))
        {
            var plan = PlanFor(group.Key) with { Epochs = preset.Epochs };
            var pending = group.Where(m => Force || !File.Exists(Path.Combine(ExperimentsRoot, IdFor(setup, m, seed), "metrics.json"))).ToList();
            results.AddRange(group.Except(pending).Select(m => ResultsTable.LoadResult(Path.Combine(ExperimentsRoot, IdFor(setup, m, seed), "metrics.json"))!));
            Reused += group.Count() - pending.Count;
            if (pending.Count == 0) continue;
            Report(setup.Task, $"curriculum {plan.Name}");
            var curriculum = StageBudgeting.Apply(builder.Build(setup.Train, plan), setup.Train, scorerModel.Tokenizer, preset.MaxSeqLength);
            using var lm = CausalLanguageModel.Load(ModelDirectory, device);
            var runDir = Path.Combine(RunsRoot, ExperimentId.For(preset.Name, setup.Task, "train-" + plan.Name, ModelName, seed, TrainConfig(setup, plan)));
            // Forced: train again from the base model rather than resume finished stages.
            if (Force && Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
            var stages = ProgressiveTrainer.Train(lm, curriculum, TrainOptionsFor(seed), runDir,
                new Progress<(int Stage, TrainingProgress P)>(x => progress?.Report(new(setup.Task,
                    $"train {plan.Name} stage {x.Stage}/{curriculum.Stages.Count}", x.P.Step, x.P.MaxSteps, x.P.Loss))));
            foreach (var method in pending)
                results.Add(Evaluate(setup, method, curriculum, lm, stages, seed, scorer));
        }
        return results;
    }

    /// <summary>SHA-256 of the base model's weights: tells apart two base models of one name (e.g. pretrained on two GPU machines).</summary>
    string ModelSha256 => _modelSha256 ??= Sha256Of(Path.Combine(ModelDirectory, "model.safetensors"));
    string? _modelSha256;

    static string Sha256Of(string file)
    {
        if (!File.Exists(file)) return "";
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    /// <summary>The base model's name: its folder, or the run folder above it when the folder is a pretrain run's "model/".</summary>
    string ModelName
    {
        get
        {
            var dir = Path.TrimEndingDirectorySeparator(ModelDirectory);
            var name = Path.GetFileName(dir);
            return name == "model" ? Path.GetFileName(Path.GetDirectoryName(dir)) ?? name : name;
        }
    }

    public string IdFor(TaskSetup setup, MethodSpec method, int seed)
    {
        object config = new { preset, method, train = TrainConfig(setup, PlanFor(method.Plan)) };
        // Joined only when not default, so the ids of earlier results on the dev split at the preset's cap stay valid:
        // another eval file (by content) or row count, or a raised generation cap, is another experiment.
        var extra = new SortedDictionary<string, object>(StringComparer.Ordinal);
        if (!IsDefaultEvalFile(setup)) extra["eval"] = new { file_sha256 = Sha256Of(setup.EvalFile)[..16], rows = setup.Eval.Count };
        if (NewTokenCap(setup) is var cap && cap != preset.MaxNewTokens) extra["max_new_tokens"] = cap;
        return ExperimentId.For(preset.Name, setup.Task, method.Name, ModelName, seed, extra.Count == 0 ? config : new { config, extra });
    }

    static bool IsDefaultEvalFile(TaskSetup setup) =>
        TaskName.All.Contains(setup.Task) && Path.GetFullPath(setup.EvalFile) == Path.GetFullPath(KitPaths.Split(setup.Task, "dev"));

    /// <summary>The generation cap for this task's answers (<see cref="AnswerLengthCap"/>), in the base model's tokens.</summary>
    int NewTokenCap(TaskSetup setup) => _caps.TryGetValue(setup, out int cap) ? cap
        : _caps[setup] = AnswerLengthCap.For(setup.Train.Select(setup.Format.AnswerText), TokenizerFiles.Load(ModelDirectory), preset.MaxNewTokens,
            LlamaConfig.Load(Path.Combine(ModelDirectory, "config.json")).MaxSeqLen);
    readonly Dictionary<TaskSetup, int> _caps = new(ReferenceEqualityComparer.Instance);

    InternalizationPlan PlanFor(string name) => Plans.TryGetValue(name, out var p) ? p : PlanPresets.Get(name);

    // Settings added after the first results exist join the config only when not default, so earlier ids stay valid.
    object TrainConfig(TaskSetup setup, InternalizationPlan plan) => (Lora, TemplateCompressorName, DeterministicTraining) switch
    {
        (null, Compressors.LlmLingua2, false) => BaseTrainConfig(setup, plan),
        (_, _, false) => new { config = BaseTrainConfig(setup, plan), lora = Lora, compressor = TemplateCompressorName },
        _ => new { config = BaseTrainConfig(setup, plan), lora = Lora, compressor = TemplateCompressorName, deterministic = true },
    };

    object BaseTrainConfig(TaskSetup setup, InternalizationPlan plan) => new
    {
        plan = plan with { Epochs = preset.Epochs }, preset.Name, preset.TrainRows, preset.TemplateTokenCap, preset.LearningRate,
        preset.MicroBatchSize, preset.MaxSeqLength, preset.Precision, train = Path.GetFileName(setup.TrainFile),
        trainRowsUsed = setup.Train.Count,
    };

    TrainOptions TrainOptionsFor(int seed) => new()
    {
        LearningRate = preset.LearningRate, MicroBatchSize = preset.MicroBatchSize, MaxSeqLength = preset.MaxSeqLength,
        Precision = preset.Precision, Seed = seed, Lora = Lora, WarmupSteps = 10, LogInterval = 5, SaveInterval = 50, Resume = true,
        Deterministic = DeterministicTraining,
    };

    ExperimentResult Evaluate(TaskSetup setup, MethodSpec method, StagedCurriculum curriculum, CausalLanguageModel lm,
        IReadOnlyList<StageSummary> stages, int seed, ITokenScorer scorer)
    {
        var id = IdFor(setup, method, seed);
        var phases = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        T Phase<T>(string name, Func<T> run)
        {
            Report(setup.Task, $"{name} {method.Name}");
            clock.Restart();
            var value = run();
            phases[name] = clock.Elapsed.TotalSeconds;
            return value;
        }
        var prompts = Phase("prompts", () => InferencePrompts(setup, method, curriculum, scorer));
        var texts = prompts.Select(PromptRenderer.ToText).ToList();
        var options = GenerationOptionsFor(setup);
        // One untimed batch first (two new tokens), the pass's first: a process's first use of new shapes pays one-off
        // costs (kernel loading, allocator growth) that otherwise land in a dev-set pass of only a few seconds on the
        // GPU, in whichever row runs first.
        var warmup = lm.Batches(texts, options).Take(1).SelectMany(b => b).Select(i => texts[i]).ToList();
        lm.Generate(warmup, options with { MaxNewTokens = 2 });
        Settle(lm.Device);
        var generated = Phase("generate", () => lm.Generate(texts, options));
        var batchedMs = phases["generate"] * 1000 / Math.Max(1, texts.Count);
        var predictions = generated.Select(g => setup.ExtractPrediction(g.Text)).ToList();
        var report = Phase("score", () => setup.Metric.Score(setup.Eval, predictions));
        var (latency, latencyGc) = Phase("latency", () => MeasureLatency(lm, texts, options));
        var counter = CostTokenizer.Get(PriceTable.Default.Get(preset.PricedModel).Tokenizer);
        var inputTokens = texts.Average(t => (double)counter.CountTokens(t));
        var outputTokens = predictions.Average(p => (double)counter.CountTokens(p));
        var cost = CostModel.Estimate(PriceTable.Default.Get(preset.PricedModel), counter.Name, inputTokens, outputTokens, 1_000_000);
        var result = new ExperimentResult
        {
            Id = id, Task = setup.Task, Method = method.Name, Plan = method.Plan, Model = ModelName, Seed = seed, Preset = preset.Name,
            InferenceLayout = method.Inference == InferencePromptKind.Compressed ? $"{method.Compressor}@{preset.BaselineKeepRate}" : curriculum.Plan.Inference.Label,
            EvalFile = Path.GetFileName(setup.EvalFile), EvalRows = setup.Eval.Count,
            Metrics = report.Metrics, InputTokensPerQuery = inputTokens, OutputTokensPerQuery = outputTokens, CostTokenizer = counter.Name,
            ModelPromptTokensPerQuery = generated.Average(g => (double)g.PromptTokens),
            LatencyNewTokens = preset.LatencyNewTokens, LatencyMsMedian = latency.MedianMs, LatencyMsP90 = latency.P90Ms,
            LatencyGc = latencyGc, BatchedWarmupQueries = warmup.Count, BatchedMsPerQuery = batchedMs, PricedModel = preset.PricedModel, CostPerMillionQueries = cost.TotalCost,
            TrainSeconds = stages.Sum(s => s.ElapsedSeconds), TrainTokens = stages.Sum(s => s.Tokens), FinalTrainLoss = stages[^1].FinalLoss,
            PhaseSeconds = phases,
        };
        ResultsWriter.Write(Path.Combine(ExperimentsRoot, id), result, setup, prompts, predictions, report,
            new Dictionary<string, object?> { ["preset"] = preset, ["method"] = method, ["plan"] = curriculum.Plan, ["stages"] = stages,
                ["train_file"] = setup.TrainFile, ["eval_file"] = setup.EvalFile, ["model_dir"] = ModelDirectory,
                ["model_sha256"] = ModelSha256, ["base_heldout"] = HeldOutPerplexity.Read(ModelDirectory), ["seed"] = seed, ["max_new_tokens"] = options.MaxNewTokens,
                ["generation_batches"] = GenerationBatches(lm, texts, options), ["eval_rows"] = setup.Eval.Count, ["deterministic_training"] = DeterministicTraining,
                ["template_compressor"] = curriculum.CompressorName, ["retriever"] = curriculum.RetrieverName });
        return result;
    }

    /// <summary>The batching policy of the batched pass and the share of its prefill slots that were padding.</summary>
    static object GenerationBatches(CausalLanguageModel lm, IReadOnlyList<string> texts, GenerationOptions options)
    {
        var padding = lm.Padding(texts, options);
        return new { batch_size = options.BatchSize, order = options.Buckets.Policy, prompt_tokens = padding.RealTokens, pad_tokens = padding.PadTokens, pad_fraction = padding.PadFraction };
    }

    IReadOnlyList<PromptParts> InferencePrompts(TaskSetup setup, MethodSpec method, StagedCurriculum curriculum, ITokenScorer scorer)
    {
        if (method.Inference == InferencePromptKind.PlanLayout) return setup.Eval.Select(curriculum.InferencePrompt).ToList();
        // The paper's compression baselines: the full prompt (template + examples) compressed, the query kept verbatim.
        var compressor = CompressorFor(method.Compressor!, scorer);
        return setup.Eval.Select(e =>
        {
            var full = curriculum.FullPrompt(e, curriculum.Plan.Inference.Shots);
            var request = new CompressionRequest
            {
                Instruction = full.Template, Question = full.Query, QuestionInPrompt = false, KeepRate = preset.BaselineKeepRate,
                ForceKeep = setup.ForceKeepPatterns,
                Contexts = full.Examples.Select(x => $"{PromptRenderer.QueryMarker}\n{x.Query}\n{PromptRenderer.AnswerMarker}\n{x.Answer}").ToList(),
            };
            var compressedPrompt = compressor.Compress(request).CompressedPrompt;
            return new PromptParts(compressedPrompt, [], full.Query);
        }).ToList();
    }

    static IPromptCompressor CompressorFor(string method, ITokenScorer scorer) =>
        new CachingCompressor(Compressors.Create(method, scorer), scorer.Name);

    GenerationOptions GenerationOptionsFor(TaskSetup setup) => EvalGenerationOptions(setup, NewTokenCap(setup), Devices.Parse(preset.Device));

    /// <summary>How the batched evaluation pass decodes: greedy, 64 rows per batch on CUDA and 16 on CPU, grouped by prompt
    /// length, prompts too long for the context cut from the left, and stopped where the task's answers end.</summary>
    public static GenerationOptions EvalGenerationOptions(TaskSetup setup, int maxNewTokens, torch.Device device) => new()
    {
        MaxNewTokens = maxNewTokens, Temperature = 0, Seed = 1337, BatchSize = device.type == DeviceType.CUDA ? 64 : 16,
        TruncatePromptLeft = true,
        // One-line answers (a command, a formula) end at the newline; code ends at the next query marker or EOS.
        StopSequences = !setup.OneLineAnswers ? TaskFormat.StopMarkers : [.. TaskFormat.StopMarkers, "\n"],
    };

    /// <summary>Batch-1 wall time per query over the first queries, after two warm-up queries: prefill plus a fixed number
    /// of decode steps (no early stop), so layouts are compared on their prompts, not on how long each model's answers run.</summary>
    /// <remarks>GC pauses and collections during the timed calls are recorded beside the latency.</remarks>
    (LatencyStats Stats, LatencyGc Gc) MeasureLatency(CausalLanguageModel lm, IReadOnlyList<string> texts, GenerationOptions options)
    {
        bool settle = Settle(lm.Device);
        var one = options with { BatchSize = 1, StopSequences = [], StopAtEos = false, MaxNewTokens = preset.LatencyNewTokens };
        var before = LatencyGc.Now(settle);
        var stats = new LatencyMeter(warmupCalls: 2).PerQuery(texts.Take(preset.LatencyQueries).ToList(), t => lm.Generate([t], one)).Total;
        return (stats, LatencyGc.Now(settle) - before);
    }

    /// <summary>Collects the .NET heap and runs pending finalizers before a timed phase, so that garbage left by the previous
    /// phase (training, batched generation, LM-scored compression) is not collected inside the timed calls, which on the GPU
    /// are launch-bound. PROMPTINTERN_LATENCY_SETTLE=0 skips it, to measure its effect. Returns whether it settled.</summary>
    static bool Settle(torch.Device device)
    {
        if (Environment.GetEnvironmentVariable("PROMPTINTERN_LATENCY_SETTLE") == "0") return false;
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
        return true;
    }

    void Report(string task, string phase) => progress?.Report(new ExperimentProgress(task, phase));
}
