using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.Modeling;
using PromptIntern.UserTasks;
using PromptIntern.Text;

namespace PromptIntern.Tests.UserTasks;

/// <summary>Temp folders, task files and a saved micro model for the own-task tests.</summary>
static class UserTaskFixtures
{
    public static string ExampleDir => Path.Combine(KitPaths.Root, "examples", "order-extraction");
    public static string ExampleTaskFile => Path.Combine(ExampleDir, "task.json");

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "pi-owntask-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>A folder with a template, train/dev files in the user's own keys, and task.json = <paramref name="taskJson"/>.</summary>
    public static string WriteTask(string taskJson, string? dir = null)
    {
        dir ??= TempDir();
        File.WriteAllText(Path.Combine(dir, "template.md"), "Answer with the word in capitals. Write only the word.");
        File.WriteAllLines(Path.Combine(dir, "train.jsonl"), ["{\"uid\":\"a\",\"question\":\"cat\",\"label\":\"CAT\"}", "{\"uid\":\"b\",\"question\":\"dog\",\"label\":\"DOG\"}"]);
        File.WriteAllLines(Path.Combine(dir, "dev.jsonl"), ["{\"uid\":\"c\",\"question\":\"cow\",\"label\":\"COW\"}"]);
        var path = Path.Combine(dir, "task.json");
        File.WriteAllText(path, taskJson);
        return path;
    }

    /// <summary>A byte-level micro model (long enough context for a capped template and 3 shots), saved to a temp folder.</summary>
    public static string MicroModelDir()
    {
        var dir = TempDir();
        using var lm = CausalLanguageModel.Create(LlamaConfig.Micro with { MaxSeqLen = 1536 }, new ByteTokenizer(), TorchSharp.torch.CPU, 7);
        lm.Save(dir);
        return dir;
    }

    /// <summary>Micro-sized run settings: a handful of rows, 1 epoch, a capped template, short answers.</summary>
    public static InternalizeOptions MicroOptions(string modelDir, string outDir) => new()
    {
        Preset = ReproducePreset.Quick with
        {
            Name = "owntask-micro", TrainRows = 8, EvalRows = 4, Epochs = 1, TemplateTokenCap = 60, MaxSeqLength = 1024,
            MicroBatchSize = 4, MaxNewTokens = 12, LatencyQueries = 2, LearningRate = 3e-3,
        },
        ModelDirectory = modelDir, OutputDirectory = outDir, Compressor = PromptIntern.Compression.Compressors.Truncate, TolerancePoints = 5,
    };
}
