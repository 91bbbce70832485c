using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Compression;

/// <summary>Options for distilling the keep/drop classifier.</summary>
public sealed record KeepClassifierTraining(double TeacherRate = 0.5, int Epochs = 6, int BatchSize = 16, double LearningRate = 3e-3,
    double HeldOutFraction = 0.1, int Seed = 1337);

/// <summary>What a distillation run did: data sizes, loss per epoch, held-out agreement with the teacher.</summary>
public sealed record KeepClassifierReport(string Teacher, int Texts, int Units, double KeptFraction, IReadOnlyList<double> EpochLoss,
    double HeldOutAccuracy, double HeldOutBaselineAccuracy, TimeSpan Elapsed);

/// <summary>Trains <see cref="KeepClassifier"/> by distillation. LLMLingua-2 labels words with GPT-4's compressions;
/// no such model is reachable here, so the labels are the keep/drop decisions of the kit's LM-scored LLMLingua
/// compressor (the teacher) at <see cref="KeepClassifierTraining.TeacherRate"/> on task templates and train-split
/// prompts. The student therefore learns to imitate LLMLingua cheaply and bidirectionally, not GPT-4.</summary>
public static class KeepClassifierTrainer
{
    public static (KeepClassifier Model, KeepClassifierReport Report) Distill(IPromptCompressor teacher, IReadOnlyList<string> texts,
        KeepClassifierTraining? options = null, KeepClassifierConfig? config = null)
    {
        options ??= new();
        config ??= new();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var labelled = texts.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => Label(teacher, t, options.TeacherRate)).ToList();

        // window every text; hold out whole texts for the agreement check
        var rng = new Random(options.Seed);
        var order = Enumerable.Range(0, labelled.Count).OrderBy(_ => rng.Next()).ToList();
        var heldOutCount = (int)Math.Round(labelled.Count * options.HeldOutFraction);
        var heldOut = order.Take(heldOutCount).Select(i => labelled[i]).ToList();
        var train = order.Skip(heldOutCount).Select(i => labelled[i]).ToList();
        var windows = train.SelectMany(l => Windows(l, config.Window)).ToList();

        random.manual_seed(options.Seed);
        var model = new KeepClassifier(config);
        var optimizer = optim.Adam(model.parameters(), options.LearningRate);
        var losses = new List<double>();
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            model.train();
            var shuffled = windows.OrderBy(_ => rng.Next()).ToList();
            double total = 0; var batches = 0;
            for (var b = 0; b < shuffled.Count; b += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = shuffled.Skip(b).Take(options.BatchSize).ToList();
                var (w, s, y, m) = Tensors(batch, config);
                var logits = model.call(w, s);
                var loss = nn.functional.binary_cross_entropy_with_logits(logits, y, weight: m, reduction: nn.Reduction.Sum) / m.sum();
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                total += loss.item<float>(); batches++;
            }
            losses.Add(batches == 0 ? 0 : total / batches);
        }
        model.eval();

        // agreement with the teacher on held-out texts, at the teacher's own keep count per text
        int agree = 0, count = 0, keptLabels = 0;
        foreach (var l in heldOut)
        {
            var p = model.KeepProbabilities(l.Units);
            var k = l.Labels.Count(x => x);
            var keep = p.Select((v, i) => (v, i)).OrderByDescending(x => x.v).Take(k).Select(x => x.i).ToHashSet();
            for (var i = 0; i < l.Units.Count; i++) { agree += keep.Contains(i) == l.Labels[i] ? 1 : 0; count++; }
            keptLabels += k;
        }
        var baseline = count == 0 ? 0 : Math.Max(keptLabels, count - keptLabels) / (double)count;
        var units = labelled.Sum(l => l.Units.Count);
        var report = new KeepClassifierReport(teacher.Name, labelled.Count, units,
            labelled.Sum(l => l.Labels.Count(x => x)) / (double)Math.Max(1, units), losses,
            count == 0 ? double.NaN : agree / (double)count, baseline, clock.Elapsed);
        return (model, report);
    }

    sealed record Labelled(List<string> Units, bool[] Labels);

    static Labelled Label(IPromptCompressor teacher, string text, double rate)
    {
        var result = teacher.Compress(CompressionRequest.ForText(text, rate));
        var prompt = result.OriginalPrompt;
        var units = LexicalUnits.Split(prompt);
        var labels = new bool[units.Count];
        var s = 0;
        for (var i = 0; i < units.Count; i++)
        {
            while (result.Spans[s].Start + result.Spans[s].Length <= units[i].Start) s++;
            labels[i] = result.Spans[s].Kept;
        }
        return new Labelled(units.Select(u => prompt.Substring(u.Start, u.Length)).ToList(), labels);
    }

    static IEnumerable<Labelled> Windows(Labelled l, int window)
    {
        for (var s = 0; s < l.Units.Count; s += window)
        {
            var n = Math.Min(window, l.Units.Count - s);
            yield return new Labelled(l.Units.GetRange(s, n), l.Labels.AsSpan(s, n).ToArray());
        }
    }

    static (Tensor Words, Tensor Shapes, Tensor Labels, Tensor Mask) Tensors(List<Labelled> batch, KeepClassifierConfig config)
    {
        var t = batch.Max(b => b.Units.Count);
        var w = new long[batch.Count * t];
        var s = new long[batch.Count * t];
        var y = new float[batch.Count * t];
        var m = new float[batch.Count * t];
        for (var i = 0; i < batch.Count; i++)
            for (var j = 0; j < batch[i].Units.Count; j++)
            {
                w[i * t + j] = UnitFeatures.WordId(batch[i].Units[j], config.Buckets);
                s[i * t + j] = UnitFeatures.ShapeId(batch[i].Units[j]);
                y[i * t + j] = batch[i].Labels[j] ? 1 : 0;
                m[i * t + j] = 1;
            }
        long[] shape = [batch.Count, t];
        return (tensor(w).reshape(shape), tensor(s).reshape(shape), tensor(y).reshape(shape), tensor(m).reshape(shape));
    }
}
