using PromptIntern.Absorption;
using PromptIntern.Curriculum;
using PromptIntern.Data;

namespace PromptIntern.Tests.Curriculum;

/// <summary>A tiny NL2Bash-like train split and template shared by the curriculum tests.</summary>
static class CurriculumFixture
{
    public static readonly string Template = string.Join("\n", Enumerable.Range(1, 40).Select(i =>
        $"Rule {i}: write one bash command that answers the request; prefer portable flags of find, grep, sort and xargs."));

    public static IReadOnlyList<TaskExample> Train(int n = 12) =>
        Enumerable.Range(0, n).Select(i => new TaskExample($"t{i:00}",
            $"{(i % 2 == 0 ? "Find" : "List")} files named file{i}.txt under dir{i % 3}",
            $"find dir{i % 3} -name file{i}.txt")).ToList();

    public static CurriculumBuilder Builder(IReadOnlyList<TaskExample> train, ITemplateCompressor? compressor = null) =>
        new(Template, compressor ?? new TruncationTemplateCompressor(), new Bm25Retriever(train));

    /// <summary>Counts calls, so tests can see the cache work.</summary>
    public sealed class CountingCompressor : ITemplateCompressor
    {
        public int Calls;
        public string Name => "counting";
        public string Compress(string template, double rate) { Calls++; return template[..(int)(template.Length * rate)]; }
    }
}
