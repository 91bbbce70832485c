using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PromptIntern.Data;
using PromptIntern.Modeling;
using PromptIntern.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Training;

/// <summary>
/// The one training loop (nanoGPT train.py style) shared by pretraining and fine-tuning:
/// batch → forward → loss → backward (× accumulation) → clip → AdamW step → LR schedule → log → checkpoint.
/// Checkpoints hold weights, optimizer state, RNG state and the step, so a resumed run continues exactly.
/// </summary>
public static class TrainingLoop
{
    public const string CheckpointFolder = "checkpoint";
    public const string MetricsFile = "logs/metrics.jsonl";

    public static TrainingSummary Run(CausalLanguageModel lm, IBatchSource data, TrainOptions o, string? outDir,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        o.Validate();
        var model = lm.Model;
        var device = lm.Device;
        using var optimizer = CreateOptimizer(model, o);
        using var deterministic = o.Deterministic ? DeterministicKernels.Enable(device) : null;
        random.manual_seed(o.Seed);

        int startStep = 0;
        long tokens = 0;
        double elapsedBefore = 0;
        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
            AtomicFile.WriteAllText(Path.Combine(outDir, "train_config.json"), o.ToJson());
            var ckpt = Path.Combine(outDir, CheckpointFolder);
            CheckpointSwitch.Recover(ckpt);
            if (o.Resume && Directory.Exists(ckpt)) (startStep, tokens, elapsedBefore) = LoadCheckpoint(ckpt, model, optimizer);
            TrimMetrics(Path.Combine(outDir, MetricsFile), startStep);
        }

        model.train();
        var clock = Stopwatch.StartNew();
        var intervalClock = Stopwatch.StartNew();
        long intervalTokens = 0;
        double lastLoss = double.NaN;
        using var lossSum = zeros(1, ScalarType.Float32, device);
        int micros = 0;
        int savedStep = startStep;
        // A failure names the step and the last good checkpoint, from which the same command resumes.
        TrainingFailedException Failed(int step, string problem, Exception? inner = null) => new(
            $"training stopped at step {step}/{o.MaxSteps}: {problem}; " + (outDir is null ? "no checkpoint folder was given"
                : savedStep > 0 ? $"the checkpoint of step {savedStep} in {Path.Combine(outDir, CheckpointFolder)} is intact and the same command resumes from it"
                : $"no checkpoint was saved yet in {outDir}"), inner);
        using var graph = o.CudaGraph && startStep < o.MaxSteps ? GraphStep(model, optimizer, lossSum, o, device, data.Get(startStep, 0)) : null;
        for (int step = startStep; step < o.MaxSteps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            var lr = o.LearningRateAt(step);
            if (graph is not null && data.Get(step, 0) is var gb && graph.Fits(gb.Rows, gb.Cols))
            {
                using var scope = NewDisposeScope();
                graph.Run(DeviceUpload.Int64(gb.Ids, [gb.Rows, gb.Cols], device), DeviceUpload.Int64(gb.Labels, [gb.Rows, gb.Cols], device), lr);
                intervalTokens += gb.Ids.Length;
            }
            else
            {
                optimizer.ZeroGrad();
                for (int micro = 0; micro < o.GradientAccumulation; micro++)
                {
                    using var scope = NewDisposeScope();
                    var b = data.Get(step, micro);
                    var ids = DeviceUpload.Int64(b.Ids, [b.Rows, b.Cols], device);
                    var labels = DeviceUpload.Int64(b.Labels, [b.Rows, b.Cols], device);
                    var loss = model.Loss(ids, labels) / o.GradientAccumulation;
                    loss.backward();
                    lossSum.add_(loss.detach().to(ScalarType.Float32)); // stays on the device: no host sync per micro-batch
                    intervalTokens += b.Ids.Length;
                }
                // TorchSharp's AdamW reads the clipped norm on the host and refuses a non-finite one before it reaches the weights;
                // the fused path reads nothing per step, and the loss checks below (each log line, each save) catch a divergence.
                try { optimizer.Step(lr, o.MaxNorm); }
                catch (GradientNotFiniteException e) { throw Failed(step + 1, $"the loss diverged (gradient norm {e.Norm}, learning rate {lr:g3}); lower --lr"); }
                catch (System.Runtime.InteropServices.ExternalException e) { throw Failed(step + 1, $"libtorch refused the optimizer step ({e.Message})", e); }
            }
            micros += 1;

            bool last = step == o.MaxSteps - 1;
            if ((step + 1) % o.LogInterval == 0 || last)
            {
                lastLoss = lossSum.item<float>() / micros;
                if (!double.IsFinite(lastLoss)) throw Failed(step + 1, $"the loss diverged (loss {lastLoss}, learning rate {lr:g3}); lower --lr");
                lossSum.zero_(); micros = 0;
                tokens += intervalTokens;
                var tps = intervalTokens / Math.Max(1e-9, intervalClock.Elapsed.TotalSeconds);
                var p = new TrainingProgress(step + 1, o.MaxSteps, lastLoss, lr, tps, elapsedBefore + clock.Elapsed.TotalSeconds, tokens);
                intervalTokens = 0; intervalClock.Restart();
                if (outDir is not null) AppendMetrics(outDir, p);
                progress?.Report(p);
            }
            if (outDir is not null && (last || (o.SaveInterval > 0 && (step + 1) % o.SaveInterval == 0)))
            {
                // Never save a state that a non-finite loss since the last log may have reached.
                if (micros > 0 && !float.IsFinite(lossSum.item<float>())) throw Failed(step + 1, $"the loss diverged (learning rate {lr:g3}); lower --lr");
                SaveCheckpoint(Path.Combine(outDir, CheckpointFolder), model, optimizer, step + 1, tokens, elapsedBefore + clock.Elapsed.TotalSeconds);
                savedStep = step + 1;
            }
        }
        model.eval();
        var elapsed = clock.Elapsed.TotalSeconds;
        return new TrainingSummary(o.MaxSteps - startStep, startStep, lastLoss, (tokens) / Math.Max(1e-9, elapsedBefore + elapsed), elapsedBefore + elapsed, tokens, outDir);
    }

    /// <summary>The graphed step of a cuda_graph run, shaped like its first batch (<see cref="CudaGraphStep"/>); an unusable
    /// set-up is the user's error, named by its option.</summary>
    static CudaGraphStep GraphStep(LlamaModel model, ITrainingOptimizer optimizer, Tensor lossSum, TrainOptions o, Device device, Batch first)
    {
        if (CudaGraphStep.Unsupported(device, optimizer, o.GradientAccumulation) is { } why) throw new ArgumentException($"train option 'cuda_graph': {why}.");
        return new CudaGraphStep(model, (MasterWeightAdamW)optimizer, lossSum, first.Rows, first.Cols, o.MaxNorm);
    }

    /// <summary>Casts the model to the run's precision and picks the optimizer: fused AdamW without host syncs
    /// (<see cref="MasterWeightAdamW"/>) for bf16-mixed and wherever the native extension serves the device, else
    /// TorchSharp's AdamW. The checkpoint format follows the optimizer.</summary>
    public static ITrainingOptimizer CreateOptimizer(LlamaModel model, TrainOptions o)
    {
        List<Parameter> Trainable() => model.parameters().Where(p => p.requires_grad).ToList();
        if (Trainable().Count == 0) throw new InvalidOperationException("The model has no trainable parameters.");
        model.GradientCheckpointing = o.ActivationCheckpointing;
        List<Tensor>? masters = null;
        if (o.Precision == "bf16-mixed")
            using (no_grad()) masters = Trainable().Select(p => p.detach().to(ScalarType.Float32, copy: true).DetachFromDisposeScope()).ToList();
        if (o.Precision != "fp32" && model.DType != ScalarType.BFloat16) model.to(ScalarType.BFloat16);
        var parameters = Trainable();
        if (masters is not null || NativeExtension.UsableOn(parameters[0].device))
        {
            var optimizer = new MasterWeightAdamW(parameters, masters, o);
            masters?.ForEach(m => m.Dispose());
            return optimizer;
        }
        return new TorchSharpAdamW(parameters, o);
    }

    /// <summary>One line per interval: step, loss, lr, tokens/s, elapsed — as nanoGPT logs it.</summary>
    public static string FormatLine(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"step {p.Step}/{p.MaxSteps} | loss {p.Loss:0.0000} | lr {p.LearningRate:g4} | {p.TokensPerSecond:0} tok/s | {p.ElapsedSeconds:0.0} s");

    static void AppendMetrics(string outDir, TrainingProgress p)
    {
        var path = Path.Combine(outDir, MetricsFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.AppendAllText(path, JsonSerializer.Serialize(new
        {
            step = p.Step, loss = p.Loss, lr = p.LearningRate, tokens_per_sec = Math.Round(p.TokensPerSecond, 1),
            elapsed_s = Math.Round(p.ElapsedSeconds, 3), tokens = p.Tokens,
        }) + "\n");
    }

    /// <summary>Drops metric lines written after the checkpoint we resume from (a crash between log and save).</summary>
    static void TrimMetrics(string path, int step)
    {
        if (!File.Exists(path)) return;
        var keep = File.ReadAllLines(path).Where(l => l.Length > 0 && JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32() <= step).ToList();
        AtomicFile.WriteLines(path, keep);
    }

    sealed record CheckpointState(int step, long tokens, double elapsed_s);

    static void SaveCheckpoint(string dir, LlamaModel model, ITrainingOptimizer optimizer, int step, long tokens, double elapsed)
    {
        // Written into a fresh sibling folder, then swapped in whole: a crash at any moment leaves a complete checkpoint.
        CheckpointSwitch.Write(dir, tmp =>
        {
            using var scope = NewDisposeScope();
            Safetensors.Save(Path.Combine(tmp, "model.safetensors"), HfCheckpoint.StateDict(model, adapters: true));
            AtomicFile.WriteAllText(Path.Combine(tmp, "config.json"), model.Config.ToJson());
            optimizer.Save(tmp);
            using (var rng = random.get_rng_state()) Safetensors.Save(Path.Combine(tmp, "rng.safetensors"), new Dictionary<string, Tensor> { ["cpu"] = rng });
            AtomicFile.WriteAllText(Path.Combine(tmp, CheckpointSwitch.StateFile), JsonSerializer.Serialize(new CheckpointState(step, tokens, elapsed)));
        });
    }

    static (int Step, long Tokens, double Elapsed) LoadCheckpoint(string dir, LlamaModel model, ITrainingOptimizer optimizer)
    {
        var statePath = Path.Combine(dir, CheckpointSwitch.StateFile);
        if (!File.Exists(statePath)) throw new InvalidDataException($"{dir}: incomplete checkpoint (no trainer_state.json); delete it or pass --no-resume.");
        var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(statePath))
            ?? throw new InvalidDataException($"{statePath}: empty trainer state.");
        var file = Path.Combine(dir, "model.safetensors");
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var parameters = HfCheckpoint.StateDict(model, adapters: true);
            var saved = Safetensors.Load(file);
            foreach (var (name, p) in parameters)
            {
                if (!saved.TryGetValue(name, out var t)) throw new InvalidDataException($"{file}: checkpoint lacks '{name}' (was it trained with a different LoRA or model config?).");
                if (!t.shape.SequenceEqual(p.shape)) throw new InvalidDataException($"{file}: tensor '{name}' has shape [{string.Join(",", t.shape)}], the model needs [{string.Join(",", p.shape)}].");
                p.copy_(t.to(p.dtype));
            }
            if (saved.Count != parameters.Count) throw new InvalidDataException($"{file}: checkpoint has {saved.Count} tensors, the model {parameters.Count} (LoRA attached in one but not the other?).");
            random.set_rng_state(Safetensors.Load(Path.Combine(dir, "rng.safetensors"))["cpu"]);
        }
        optimizer.Load(dir);
        return (state.step, state.tokens, state.elapsed_s);
    }
}
