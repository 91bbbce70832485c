using PromptIntern.Absorption;
using PromptIntern.Compression;
using PromptIntern.Data;
using PromptIntern.Prompts;
using PromptIntern.Scheduling;

namespace PromptIntern.Curriculum;

/// <summary>Turns a train split and an <see cref="InternalizationPlan"/> into per-stage training sets: in each stage every
/// query gets the template compressed to the stage's keep rate (or none) and the stage's number of retrieved examples.</summary>
/// <remarks>Examples are retrieved once per query (the plan's largest shot count) and each stage keeps the top ones, so
/// example removal drops the least relevant example first and stages differ only in what the plan changes (ours: the paper
/// says examples are removed progressively, not which). Compressed templates are cached (<see cref="CachingCompressor"/>).</remarks>
public sealed class CurriculumBuilder
{
    readonly string _template;
    readonly IPromptCompressor _compressor;
    readonly IReadOnlyList<string> _forcedSpans;
    readonly IExampleRetriever _retriever;
    readonly TaskTextFormat _format;

    /// <param name="template">the full instruction template of the task</param>
    /// <param name="compressor">shrinks the template to a keep rate; wrapped in a cache unless it is one</param>
    /// <param name="forcedSpans">literal text of the template every compression keeps (TaskTemplates.ForcedSpans)</param>
    /// <param name="retriever">picks the examples shown with each query (usually BM25 over the same train split)</param>
    /// <param name="format">query and answer text of a row; default the raw fields</param>
    public CurriculumBuilder(string template, IPromptCompressor compressor, IReadOnlyList<string> forcedSpans, IExampleRetriever retriever,
        TaskTextFormat? format = null)
    {
        if (string.IsNullOrWhiteSpace(template)) throw new ArgumentException("the template is empty", nameof(template));
        _template = template;
        // In memory only, so no model name is needed to tell disk entries apart.
        _compressor = compressor as CachingCompressor ?? new CachingCompressor(compressor, modelName: "");
        _forcedSpans = forcedSpans;
        _retriever = retriever;
        _format = format ?? TaskTextFormat.Raw;
    }

    public string Template => _template;
    public string CompressorName => _compressor.Name;
    public string RetrieverName => _retriever.Name;

    /// <summary>Builds every stage's items for <paramref name="train"/> (in its order).</summary>
    public StagedCurriculum Build(IReadOnlyList<TaskExample> train, InternalizationPlan plan)
    {
        plan.Validate(plan.Name);
        int maxShots = plan.Stages.Max(s => s.Shots);
        var examples = train.Select(q => maxShots == 0 ? [] : Shots(q, maxShots)).ToArray();
        var stages = new List<CurriculumStage>();
        for (int i = 0; i < plan.Stages.Count; i++)
        {
            var stage = plan.Stages[i];
            string template = TemplateAt(stage.KeepRate);
            var items = new CurriculumItem[train.Count];
            for (int j = 0; j < train.Count; j++)
            {
                var parts = new PromptParts(template, examples[j].Take(stage.Shots).ToList(), _format.QueryText(train[j]));
                items[j] = new CurriculumItem(train[j].Id, parts, _format.AnswerText(train[j]));
            }
            stages.Add(new CurriculumStage(i, stage, template, plan.StageEpochs(i), items));
        }
        return new StagedCurriculum(this, plan, stages);
    }

    /// <summary>The template at a keep rate: the full text at 1.0, "" when null (dropped).</summary>
    public string TemplateAt(double? keepRate) => keepRate switch
    {
        null => "",
        >= 1.0 => _template,
        { } r => _compressor.CompressTemplate(_template, r, _forcedSpans),
    };

    /// <summary>A prompt for <paramref name="query"/> with the template at <paramref name="keepRate"/> and <paramref name="shots"/> retrieved examples.</summary>
    public PromptParts Prompt(TaskExample query, double? keepRate, int shots) =>
        new(TemplateAt(keepRate), shots == 0 ? [] : Shots(query, shots), _format.QueryText(query));

    IReadOnlyList<FewShotExample> Shots(TaskExample query, int k) =>
        _retriever.Retrieve(query, k).Select(r => new FewShotExample(_format.QueryText(r.Example), _format.AnswerText(r.Example))).ToList();
}
