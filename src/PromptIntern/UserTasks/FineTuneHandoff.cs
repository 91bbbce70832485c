using PromptIntern.Compression;
using PromptIntern.Curriculum;
using PromptIntern.Modeling;
using PromptIntern.Provenance;
using PromptIntern.Scheduling;
using PromptIntern.Text;

namespace PromptIntern.UserTasks;

/// <summary>For users who fine-tune elsewhere: builds a user task's staged curriculum and writes every stage as OpenAI chat
/// JSONL (<c>openai/</c>) and TRL prompt/completion JSONL (<c>trl/</c>), each with plan.json and the token summary.</summary>
public static class FineTuneHandoff
{
    public static IReadOnlyList<CurriculumReport> Export(UserTaskDefinition task, InternalizeOptions options, string dir)
    {
        var setup = UserTaskSetup.Load(task, options.Preset, options.Seed);
        using var lm = CausalLanguageModel.Load(options.ModelDirectory, TorchSharp.torch.CPU);
        var scorer = new CausalLmTokenScorer(lm);
        var compressor = new CachingCompressor(Compressors.Create(options.Compressor, scorer), scorer.Name);
        var plan = options.Plan with { Epochs = options.Preset.Epochs };
        var curriculum = StageBudgeting.Apply(new CurriculumBuilder(setup.Template, compressor, setup.ForceKeepSpans, setup.Retriever, setup.Format).Build(setup.Train, plan),
            setup.Train, lm.Tokenizer, options.Preset.MaxSeqLength);
        plan = curriculum.Plan;
        var run = RunProvenance.Capture(new Dictionary<string, object?> { ["task_file"] = task.SourceFile, ["model_dir"] = options.ModelDirectory });
        var reports = new List<CurriculumReport>();
        foreach (var format in new[] { FineTuneFormat.OpenAi, FineTuneFormat.Trl })
        {
            var sub = Path.Combine(dir, FineTuneFormats.ToName(format));
            var report = CurriculumExport.Run(curriculum, task.Name, sub, format, CostTokenizer.O200k, setup.Eval, run: run);
            PlanJson.Save(Path.Combine(sub, "plan.json"), plan);
            CurriculumReportWriter.Write(report, sub);
            reports.Add(report);
        }
        return reports;
    }
}
