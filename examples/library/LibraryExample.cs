using PromptIntern.Absorption;
using PromptIntern.Compression;
using PromptIntern.Curriculum;
using PromptIntern.Data;
using PromptIntern.Evaluation;
using PromptIntern.Modeling;
using PromptIntern.Prompts;
using PromptIntern.Scheduling;
using PromptIntern.Training;

namespace PromptIntern.Examples;

/// <summary>The library in a few lines, as the README shows it (the lines between the readme markers): compress a
/// template, build a curriculum, train it into the shipped tiny model, and evaluate it on queries alone.
/// The tests compile and run it.</summary>
public static class LibraryExample
{
    public static MetricReport Run(string workDirectory, int trainRows = 64, int devRows = 8)
    {
        // readme:begin
        var task = TaskName.Nl2Bash;
        var train = JsonlDataset.Load(KitPaths.Split(task, "train")).Take(trainRows).ToList();
        var dev = JsonlDataset.Load(KitPaths.Split(task, "dev")).Take(devRows).ToList();
        using var lm = CausalLanguageModel.Load(KitPaths.TinyModel);

        // Compress the instruction template to about 30% of its tokens (LLMLingua-2 style).
        var compressor = Compressors.Create(Compressors.LlmLingua2, new CausalLmTokenScorer(lm));
        var template = TaskTemplates.Get(task);
        Console.WriteLine($"template: {compressor.Compress(template, keepRate: 0.3).CompressedTokens} tokens kept");

        // The curriculum: per stage the template compressed harder and fewer retrieved examples, then the query alone.
        var format = new TaskTextFormat(e => TaskFormat.QueryText(task, e), e => TaskFormat.AnswerText(task, e));
        var builder = new CurriculumBuilder(template, compressor, TaskTemplates.ForcedSpans(task), new Bm25Retriever(train), format);
        var curriculum = builder.Build(train, PlanPresets.Default with { Epochs = 1 });

        // Fine-tune stage by stage (resumable from workDirectory), then answer dev queries from the query alone.
        ProgressiveTrainer.Train(lm, curriculum, new TrainOptions { MaxSeqLength = 1024 }, workDirectory);
        var prompts = dev.Select(e => PromptRenderer.ToText(curriculum.InferencePrompt(e))).ToList();
        var answers = lm.Generate(prompts, new GenerationOptions { MaxNewTokens = 32, StopSequences = ["\n"] });
        var report = TaskMetrics.For(task).Score(dev, answers.Select(a => TaskFormat.ExtractPrediction(task, a.Text)).ToList());
        Console.WriteLine($"BLEU from the query alone: {report.Metrics["BLEU"]:0.0}");
        // readme:end
        return report;
    }
}
