using System.Text;
using PromptIntern.Data;

namespace PromptIntern.Compression;

/// <summary>Texts the LLMLingua-2-style classifier learns from: the task templates (in sections) and prompts
/// built from the train splits (a few worked examples as Query/Answer blocks). Only train data is used.</summary>
public static class DistillationCorpus
{
    /// <summary>Up to <paramref name="examplesPerTask"/> train examples per task, grouped by
    /// <paramref name="examplesPerText"/>, plus every template section of at least 20 words.</summary>
    public static List<string> FromTaskData(string dataDir, int examplesPerTask = 400, int examplesPerText = 4)
    {
        var texts = new List<string>();
        var templates = Path.Combine(dataDir, "templates");
        if (Directory.Exists(templates))
            foreach (var f in Directory.GetFiles(templates, "*.md").Order())
                texts.AddRange(File.ReadAllText(f).Split("\n\n").Where(s => s.Split(' ').Length >= 20));
        foreach (var task in TaskName.All)
        {
            var path = Path.Combine(dataDir, task, "train.jsonl");
            if (!File.Exists(path)) continue;
            var examples = JsonlDataset.Load(path).Take(examplesPerTask).ToList();
            for (var i = 0; i + examplesPerText <= examples.Count; i += examplesPerText)
            {
                var sb = new StringBuilder();
                foreach (var ex in examples.Skip(i).Take(examplesPerText))
                {
                    sb.Append(Prompts.PromptRenderer.QueryMarker).Append('\n').Append(ex.Query.Trim()).Append('\n');
                    foreach (var t in ex.Tests) sb.Append(t).Append('\n');
                    sb.Append(Prompts.PromptRenderer.AnswerMarker).Append('\n').Append(ex.Answer.Trim()).Append("\n\n");
                }
                texts.Add(sb.ToString().Trim());
            }
        }
        return texts;
    }
}
