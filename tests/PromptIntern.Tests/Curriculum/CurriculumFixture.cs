using PromptIntern.Absorption;
using PromptIntern.Compression;
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

    public static CurriculumBuilder Builder(IReadOnlyList<TaskExample> train, IPromptCompressor? compressor = null) =>
        new(Template, compressor ?? new TruncateCompressor(), [], new Bm25Retriever(train));

    /// <summary>Counts calls, so tests can see the cache work.</summary>
    public sealed class CountingCompressor : IPromptCompressor
    {
        public int Calls;
        public string Name => "counting";

        public CompressionResult Compress(CompressionRequest request)
        {
            Calls++;
            var kept = request.Instruction[..(int)(request.Instruction.Length * request.KeepRate)];
            return new CompressionResult
            {
                CompressedPrompt = kept, OriginTokens = request.Instruction.Length, CompressedTokens = kept.Length, Tokenizer = "chars",
                Method = Name, KeepRate = request.KeepRate, TargetTokens = kept.Length,
            };
        }
    }
}
