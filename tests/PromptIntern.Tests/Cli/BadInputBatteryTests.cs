using System.Text.RegularExpressions;
using PromptIntern.Cli;
using PromptIntern.Data;
using Xunit;

namespace PromptIntern.Tests.Cli;

/// <summary>A battery of bad inputs over every verb, run through the CLI in-process: each must give exit code 2, exactly one
/// line on stderr that names the problem, no stack trace, and leave the files it was pointed at as they were.</summary>
public class BadInputBatteryTests(BadInputFiles files) : IClassFixture<BadInputFiles>
{
    // {tmp}: the battery's temp folder (BadInputFiles); {data}: the kit's data folder. Each case: what the error must mention, then the arguments.
    public static readonly TheoryData<string, string> Cases = new()
    {
        // parsing
        { "--bogus", "eval --bogus --task nl2bash --predictions {tmp}/preds.jsonl" },
        { "--predictions", "eval --task nl2bash" },
        { "unknown task", "eval --task nope --predictions {tmp}/preds.jsonl --out {tmp}/out" },
        { "--steps", "train --model {data}/models/tiny --task nl2bash --out {tmp}/out --steps abc" },
        // numeric options, by name
        { "--seeds", "reproduce --seeds 0 --results {tmp}/out" },
        { "--seeds", "reproduce --seeds -1 --results {tmp}/out" },
        { "--eval-rows", "reproduce --eval-rows -5 --results {tmp}/out" },
        { "--epochs", "reproduce --epochs NaN --results {tmp}/out" },
        { "--lora-r", "train --model {data}/models/tiny --task nl2bash --out {tmp}/out --lora-r -4" },
        { "--lr", "train --model {data}/models/tiny --task nl2bash --out {tmp}/out --lr NaN" },
        { "--lr", "train --model {data}/models/tiny --task nl2bash --out {tmp}/out --lr 0" },
        { "--lr", "train --model {data}/models/tiny --task nl2bash --out {tmp}/out --lr Infinity" },
        { "--steps", "train --model {data}/models/tiny --task nl2bash --out {tmp}/out --steps 0" },
        { "--batch", "train --model {data}/models/tiny --task nl2bash --out {tmp}/out --batch -1" },
        { "--lora-dropout", "train --model {data}/models/tiny --task nl2bash --out {tmp}/out --lora-dropout 1.5" },
        { "--template-keep", "cost --task nl2bash --template-keep NaN" },
        { "--template-keep", "cost --task nl2bash --template-keep 1.5" },
        { "--queries", "cost --task nl2bash --queries 0" },
        { "--shots", "cost --task nl2bash --shots -1" },
        { "--limit", "curriculum --task nl2bash --out {tmp}/out --limit -1" },
        { "--limit", "curriculum --task nl2bash --out {tmp}/out --limit 0" },
        { "--full-shots", "curriculum --task nl2bash --out {tmp}/out --full-shots -2" },
        { "--temperature", "generate --model {data}/models/tiny --prompt hi --temperature NaN" },
        { "--temperature", "generate --model {data}/models/tiny --prompt hi --temperature -1" },
        { "--top-p", "generate --model {data}/models/tiny --prompt hi --top-p -1" },
        { "--top-p", "generate --model {data}/models/tiny --prompt hi --top-p 0" },
        { "--max-new-tokens", "generate --model {data}/models/tiny --prompt hi --max-new-tokens 0" },
        { "--rate", "compress --task nl2bash --rate 0" },
        { "--rate", "compress --task nl2bash --rate NaN" },
        { "--target-tokens", "compress --task nl2bash --target-tokens -3" },
        { "--max-bytes", "corpus build --out {tmp}/out --max-bytes 0" },
        { "--seq", "pretrain --out {tmp}/out --seq 1" },
        { "--vocab-size", "tokenizer train --out {tmp}/out --vocab-size 0" },
        { "--reps", "bench --reps 0" },
        { "--rows", "bench eval-batching --rows 0 --out-dir {tmp}/out" },
        { "--eval-batches", "bench eval-batching --eval-batches 8,x --out-dir {tmp}/out" },
        { "unknown task", "bench eval-batching --task nope --out-dir {tmp}/out" },
        { "--profile-steps", "bench train --profile-steps -1 --out-dir {tmp}/out" },
        { "--profile-steps", "bench generate --device cpu --profile-steps 1 --out-dir {tmp}/out" },
        // CPU, no native extension: the profiler is absent, and the option says so before any model is built
        { "--profile-steps: needs the native extension's profiler", "bench train --device cpu --config nano --lora qv --profile-steps 2 --out-dir {tmp}/out" },
        { "--epochs", "internalize --epochs 0" },
        { "--train", "nl2formula --out {tmp}/out --train 0" },
        { "--parallel", "eval --task nl2bash --predictions {tmp}/preds.jsonl --out {tmp}/out --parallel 0" },
        { "--task-file", "study --out {tmp}/out" },
        { "--reproduced", "study --reproduced nl2bash --out {tmp}/out" },
        { "unknown task", "study --reproduced nope:nano --out {tmp}/out" },
        { "no finished nl2bash experiment", "study --reproduced nl2bash:no-such-base --out {tmp}/out" },
        { "--compare-bases: expected TASK:BASE,BASE", "study --compare-bases nl2bash --out {tmp}/out" },
        { "--compare-bases: expected TASK:BASE,BASE", "study --compare-bases nl2bash:nano4k-63a7a20c,,tiny --out {tmp}/out" },
        { "--compare-bases: unknown task 'nope'", "study --compare-bases nope:nano4k-63a7a20c,tiny --out {tmp}/out" },
        { "--compare-bases: needs at least two bases", "study --compare-bases nl2bash:nano4k-63a7a20c --out {tmp}/out" },
        { "--compare-bases: base 'nano4k-63a7a20c' is listed twice", "study --compare-bases nl2bash:nano4k-63a7a20c,nano4k-63a7a20c --out {tmp}/out" },
        { "--compare-bases: unknown base 'no-such-base'", "study --compare-bases nl2bash:nano4k-63a7a20c,no-such-base --out {tmp}/out" },
        // tiny ran only the quick preset: a base the kit knows, with no experiment of the grid
        { "--compare-bases: base 'tiny' has no finished nl2bash experiment", "study --compare-bases nl2bash:nano4k-63a7a20c,tiny --out {tmp}/out" },
        { "--compare-bases: no (train rows, method) row of nl2bash is present on every base",
            "study --compare-bases nl2bash:base-x,base-y --experiments {tmp}/experiments-disjoint --out {tmp}/out" },
        { "--experiments: folder not found: {tmp}/nonexistent", "study --compare-bases nl2bash:nano4k-63a7a20c,tiny --experiments {tmp}/nonexistent --out {tmp}/out" },
        // files and data
        { "dev.jsonl", "eval --task nl2formula --eval-file {data}/nl2bash/dev.jsonl --predictions {tmp}/preds.jsonl --out {tmp}/out" },
        { "dev.jsonl", "eval --task nl2bash --eval-file {data}/mbpp/dev.jsonl --predictions {tmp}/preds.jsonl --out {tmp}/out" },
        { "truncated.jsonl", "eval --task nl2bash --eval-file {tmp}/truncated.jsonl --predictions {tmp}/preds.jsonl --out {tmp}/out" },
        { "missing.jsonl", "eval --task nl2bash --predictions {tmp}/missing.jsonl --out {tmp}/out" },
        { "a-file", "eval --task nl2bash --predictions {tmp}/preds.jsonl --out {tmp}/a-file/out" },
        { "a-file", "train --model {data}/models/tiny --task nl2bash --out {tmp}/a-file/run --steps 1" },
        { "a-file", "corpus build --out {tmp}/a-file/corpus" },
        { "huge-row.jsonl", "data stats --file {tmp}/huge-row.jsonl" },
        { "bad-utf8.jsonl:1: field '(encoding)': invalid UTF-8", "eval --task nl2bash --predictions {tmp}/bad-utf8.jsonl --out {tmp}/out" },
        { "bad-utf8.jsonl:1: field '(encoding)': invalid UTF-8", "data stats --file {tmp}/bad-utf8.jsonl" },
        { "nope.jsonl", "data stats --file {tmp}/nope.jsonl" },
        { "truncated.jsonl", "data stats --file {tmp}/truncated.jsonl" },
        { "no documents", "corpus build --out {tmp}/out --data {tmp}/empty-data --man-root none --python-root none" },
        { "--scorer-model", "compress --task nl2bash --method llmlingua --scorer-model {tmp}/not-a-model" },
        { "{tmp}/out/stage1", "curriculum --task nl2bash --out {tmp}/out --limit 20 --max-example-tokens 5 --compressor truncate" },
        { "bad-plan.json", "curriculum --task nl2bash --out {tmp}/out --plan {tmp}/bad-plan.json" },
        { "metrics.json", "report --results {tmp}/results-truncated --readme none" },
        { "{tmp}/nonexistent", "report --results {tmp}/nonexistent --readme none" },
        // damaged model folders
        { "model.safetensors", "generate --model {tmp}/zero-byte-model --prompt hi" },
        { "model.safetensors", "generate --model {tmp}/truncated-model --prompt hi" },
        { "model.safetensors", "generate --model {tmp}/corrupt-header-model --prompt hi" },
        { "hidden_size", "generate --model {tmp}/bad-config-model --prompt hi" },
        { "shape", "generate --model {tmp}/shape-mismatch-model --prompt hi" },
        { "not found", "generate --model {tmp}/no-such-model --prompt hi" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInput_OneLineOnStderr_ExitTwo_NothingWritten(string mentions, string commandLine)
    {
        string Expand(string s) => s.Replace("{tmp}", files.Root).Replace("{data}", KitPaths.Data);
        var args = commandLine.Split(' ').Select(Expand).ToArray();
        var before = files.Snapshot();
        var resultsBefore = ResultsListing();
        var output = new StringWriter();
        var error = new StringWriter();

        int code = CliApp.Run(args, output, error);

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(code == CliErrors.UserError, $"exit {code}; stderr: {error}; stdout: {output}");
        Assert.True(lines.Length == 1, $"{lines.Length} lines on stderr: {error}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(Expand(mentions), lines[0]);
        Assert.DoesNotMatch(new Regex(@"\bat [\w.`<>]+\(|Exception:"), error.ToString() + output);
        Assert.Equal(before, files.Snapshot());
        Assert.Equal(resultsBefore, ResultsListing());
    }

    static IReadOnlyList<string> ResultsListing() => Directory.Exists(KitPaths.Results)
        ? Directory.EnumerateFileSystemEntries(KitPaths.Results).Order(StringComparer.Ordinal).Select(p => $"{p}|{File.GetLastWriteTimeUtc(p).Ticks}").ToList()
        : [];
}
