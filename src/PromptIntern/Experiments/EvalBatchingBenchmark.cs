using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PromptIntern.Compression;
using PromptIntern.Curriculum;
using PromptIntern.Data;
using PromptIntern.Modeling;
using PromptIntern.Prompts;
using PromptIntern.Provenance;

namespace PromptIntern.Experiments;

/// <summary>What length-bucketed batches save in the experiments' batched evaluation pass: the same few-shot prompts decoded
/// in input order and length-sorted (alternating, so load drifts hit both alike), with the prefill padding each order costs
/// and whether their outputs agree.</summary>
public static class EvalBatchingBenchmark
{
    /// <summary>One batch size × order: prompt and padding tokens of its prefills, and per timed pass its wall seconds and
    /// the CPU seconds this process spent (less inflated than wall time when other work shares the cores).</summary>
    public sealed record Row(
        [property: JsonPropertyName("batch_size")] int BatchSize,
        [property: JsonPropertyName("order")] string Order,
        [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
        [property: JsonPropertyName("pad_tokens")] long PadTokens,
        [property: JsonPropertyName("pad_fraction")] double PadFraction,
        [property: JsonPropertyName("seconds")] IReadOnlyList<double> Seconds,
        [property: JsonPropertyName("cpu_seconds")] IReadOnlyList<double> CpuSeconds)
    {
        [JsonPropertyName("median_seconds")] public double MedianSeconds => Median(Seconds);
        [JsonPropertyName("fastest_seconds")] public double FastestSeconds => Seconds.Min();
        [JsonPropertyName("median_cpu_seconds")] public double MedianCpuSeconds => Median(CpuSeconds);

        static double Median(IReadOnlyList<double> xs) => Evaluation.Latency.LatencyStats.Percentile(xs.Order().ToArray(), 0.5);
    }

    /// <summary>The rows of one layout, and whether both orders gave every query the same text.</summary>
    public sealed record Result(
        [property: JsonPropertyName("task")] string Task,
        [property: JsonPropertyName("layout")] string Layout,
        [property: JsonPropertyName("queries")] int Queries,
        [property: JsonPropertyName("max_new_tokens")] int MaxNewTokens,
        [property: JsonPropertyName("same_outputs")] bool SameOutputs,
        [property: JsonPropertyName("rows")] IReadOnlyList<Row> Rows);

    /// <summary>Decodes <paramref name="setup"/>'s evaluation rows, each with the template and <paramref name="shots"/>
    /// retrieved examples, under the evaluation pass's options at each batch size, <paramref name="reps"/> timed passes per order.</summary>
    public static Result Run(CausalLanguageModel lm, TaskSetup setup, int shots, IReadOnlyList<int> batchSizes, int reps, int maxNewTokens)
    {
        if (reps < 1) throw new ArgumentException($"reps must be at least 1 (got {reps}).");
        // The template is kept whole (rate 1.0), so the compressor is never called.
        var builder = new CurriculumBuilder(setup.Template, new TruncateCompressor(), setup.ForceKeepSpans, setup.Retriever, setup.Format);
        var texts = setup.Eval.Select(e => PromptRenderer.ToText(builder.Prompt(e, 1.0, shots))).ToList();
        int cap = AnswerLengthCap.For(setup.Train.Select(setup.Format.AnswerText), lm.Tokenizer, maxNewTokens, lm.Config.MaxSeqLen);
        var rows = new List<Row>();
        bool same = true;
        foreach (int batch in batchSizes)
        {
            var options = ExperimentRunner.EvalGenerationOptions(setup, cap, lm.Device) with { BatchSize = batch };
            var orders = new[] { options with { BucketByLength = false }, options with { BucketByLength = true } };
            var (seconds, cpu) = (orders.Select(_ => new List<double>()).ToArray(), orders.Select(_ => new List<double>()).ToArray());
            var outputs = orders.Select(o => lm.Generate(texts, o).Select(g => g.Text).ToList()).ToArray(); // also the warm-up
            same &= outputs[0].SequenceEqual(outputs[1]);
            for (int r = 0; r < reps; r++)
                for (int k = 0; k < orders.Length; k++)
                {
                    var (start, cpuStart) = (Stopwatch.GetTimestamp(), CpuTime());
                    lm.Generate(texts, orders[k]);
                    seconds[k].Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                    cpu[k].Add((CpuTime() - cpuStart).TotalSeconds);
                }
            for (int k = 0; k < orders.Length; k++)
            {
                var pad = lm.Padding(texts, orders[k]);
                rows.Add(new Row(batch, orders[k].Buckets.Policy, pad.RealTokens, pad.PadTokens, pad.PadFraction, seconds[k], cpu[k]));
            }
        }
        return new Result(setup.Task, $"template + {shots} retrieved examples", texts.Count, cap, same, rows);
    }

    static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Writes <c>&lt;stem&gt;.json</c> (result with config, commit, machine, date) and <c>&lt;stem&gt;.md</c>; returns both paths.</summary>
    public static IReadOnlyList<string> Write(string stem, Result result, RunProvenance provenance)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(stem))!);
        var json = JsonSerializer.Serialize(new { provenance, result }, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.WriteAllText(stem + ".json", json + "\n");
        AtomicFile.WriteAllText(stem + ".md", Markdown(result, provenance));
        return [stem + ".json", stem + ".md"];
    }

    static string Markdown(Result r, RunProvenance provenance)
    {
        static string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
        var sb = new StringBuilder($"# Batched evaluation: input order vs length-sorted batches\n\n{r.Task}, {r.Queries} queries, {r.Layout}, " +
            $"greedy, at most {r.MaxNewTokens} new tokens; outputs identical in both orders: {(r.SameOutputs ? "yes" : "no")}.\n\n");
        sb.Append("| batch | order | prompt tokens | pad tokens | pad share | wall s, median | wall s, fastest | CPU s, median | speed-up (median / fastest / CPU) |\n");
        sb.Append("|---|---|---|---|---|---|---|---|---|\n");
        foreach (var row in r.Rows)
        {
            var b = r.Rows.First(x => x.BatchSize == row.BatchSize);
            sb.Append($"| {row.BatchSize} | {row.Order} | {row.PromptTokens} | {row.PadTokens} | {F(row.PadFraction, "P1")} | {F(row.MedianSeconds, "0.00")} | " +
                $"{F(row.FastestSeconds, "0.00")} | {F(row.MedianCpuSeconds, "0.00")} | {F(b.MedianSeconds / row.MedianSeconds, "0.00")}x / " +
                $"{F(b.FastestSeconds / row.FastestSeconds, "0.00")}x / {F(b.MedianCpuSeconds / row.MedianCpuSeconds, "0.00")}x |\n");
        }
        // Passes of one configuration do the same work: their spread is how much other load on the machine moved the clock.
        double spread = r.Rows.Max(x => x.Seconds.Max() / x.Seconds.Min());
        sb.Append($"\nThe token counts are exact. The slowest timed pass of a row took up to {F(spread, "0.0")}x its fastest (identical work), so " +
            "speed-ups smaller than that spread are within this machine's noise.\n");
        sb.Append($"\n{provenance.Summary}\n");
        return sb.ToString();
    }
}
