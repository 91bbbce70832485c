using PromptIntern.Prompts;
using PromptIntern.Scheduling;

namespace PromptIntern.Curriculum;

/// <summary>One training example of a stage: the prompt the model sees and the answer it learns.</summary>
public sealed record CurriculumItem(string Id, PromptParts Prompt, string Answer);

/// <summary>One stage's training set: its plan values, the (compressed) template its prompts carry ("" when dropped),
/// its epochs and its items, in the train split's order.</summary>
public sealed record CurriculumStage(int Index, PlanStage Stage, string Template, double Epochs, IReadOnlyList<CurriculumItem> Items)
{
    /// <summary>"stage1_tr0.6_k2"-style name (1-based) used for the exported file.</summary>
    public string Name => $"stage{Index + 1}_{Stage.Label}";
}
