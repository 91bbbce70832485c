using System.Text.RegularExpressions;
using PromptIntern.Data;
using PromptIntern.Experiments;
using Xunit;

namespace PromptIntern.Tests.Experiments;

public class EngineBenchmarkTests
{
    static string CommittedSession6 => Path.Combine(KitPaths.Results, "bench", "session6");

    [Fact]
    public void Latest_IsTheHighestNumberedSessionThatHasASummary()
    {
        using var dir = new TempDir();
        void Session(string name, bool summary)
        {
            Directory.CreateDirectory(dir.File(name));
            if (summary) File.Copy(Path.Combine(CommittedSession6, "summary.json"), Path.Combine(dir.File(name), "summary.json"));
        }
        Assert.Null(EngineBenchmark.Latest(dir.Path));
        Session("session6", summary: true);
        Session("session7", summary: false); // a session still being written
        Session("ours-h200", summary: true);
        Assert.Equal("session6", EngineBenchmark.Latest(dir.Path)!.Session);
        Session("session9", summary: true);
        Session("session10", summary: true);
        Assert.Equal("session10", EngineBenchmark.Latest(dir.Path)!.Session);
        // A session of engine ratios alone (no layout rows) is the latest for ratios, not for the layouts.
        Directory.CreateDirectory(dir.File("session11"));
        File.Copy(Path.Combine(KitPaths.Results, "bench", "session7", "summary.json"), Path.Combine(dir.File("session11"), "summary.json"));
        Assert.Equal("session11", EngineBenchmark.Latest(dir.Path)!.Session);
        Assert.Equal("session10", EngineBenchmark.Latest(dir.Path, withLayouts: true)!.Session);
    }

    [Fact]
    public void Session7_RatiosListRowsWithoutAPeer_WithoutARatio()
    {
        var ratios = EngineBenchmark.Load(Path.Combine(KitPaths.Results, "bench", "session7")).Ratios();
        var smol = ratios.Single(r => r.Kind == "decoding" && r.Model == "smol135m");
        Assert.Equal(("compiled", true), (smol.Peer, smol.GoalMet!.Value));
        Assert.True(smol.Ratio < 1);
        var alone = ratios.Single(r => r.Kind == "decoding" && r.Model == "llama2-7b");
        Assert.Null(alone.Ratio);
        Assert.Null(alone.GoalMet);
    }

    [Fact]
    public void Session10_RatiosSayWhichNativeKernelsWereOff()
    {
        var ratios = EngineBenchmark.Load(Path.Combine(KitPaths.Results, "bench", "session10")).Ratios();
        var qv = ratios.Where(r => r.Kind == "training" && r.Model == "llama2-7b" && r.Setting.StartsWith("LoRA qv")).ToDictionary(r => r.Call);
        Assert.EndsWith(", kernels swiglu, rope_qkv off", qv["call1-h100-final-goals"].Setting);
        Assert.Equal("LoRA qv, 4x2048, eager step", qv["call2-h100-training-goals"].Setting);
        Assert.All(ratios.Where(r => r.Kind == "decoding"), r => Assert.EndsWith("kernels swiglu, rope_qkv off", r.Setting));
        // The README's engine bullet takes each shape's newest call with every kernel on, and keeps 0.999 from reading as 1.00.
        var session10 = EngineBenchmark.Load(Path.Combine(KitPaths.Results, "bench", "session10"));
        var bullet = Regex.Replace(EngineBenchmark.Load(CommittedSession6).ReadmeBlock(KitPaths.Root, session10), @"\s+", " ");
        Assert.Contains("1.073x at llama2-7b LoRA qv 4x2048 (profiled steps 0.999x; MFU 0.38 / 0.36; peak 16.1 / 18.4 GiB)", bullet);
        Assert.DoesNotContain("0.859x", bullet);
    }

    [Fact]
    public void Load_MalformedSummary_NamesTheFile()
    {
        using var dir = new TempDir();
        dir.Write("summary.json", "{\"train\": [ {\"call\": 3 ] }");
        var e = Assert.Throws<DataFormatException>(() => EngineBenchmark.Load(dir.Path));
        Assert.Contains("summary.json", e.Message);
    }

    [Fact]
    public void Session6_SpeedupsAndRatios_AreTheSummaryRows()
    {
        var bench = EngineBenchmark.Load(CommittedSession6);
        Assert.Equal(["nano", "smol135m", "llama2-7b"], bench.Models);
        var b8 = bench.Speedups("llama2-7b").Where(r => r.Batch == 8).ToDictionary(r => r.Task);
        Assert.Equal(["nl2bash", "mbpp", "nl2formula"], b8.Keys);
        // summary.md: llama2-7b, nl2bash, batch 8 — 2942 / 28 prompt tokens, 130.3 / 28.9 ms per query, 4.51x, the peer 2.72x.
        var bash = b8["nl2bash"];
        Assert.Equal((2942, 28, 130.3, 28.9, 4.51, 2.72, 4.2), (bash.FullPromptTokens, bash.QueryOnlyPromptTokens, bash.FullMsPerQuery,
            bash.QueryOnlyMsPerQuery, bash.Ours, bash.PeerEager!.Value, bash.Paper));
        Assert.Null(bench.Speedups("smol135m")[0].PeerEager);
        var ratios = bench.Ratios();
        Assert.Equal((16, 6), (ratios.Count(r => r.Kind == "training"), ratios.Count(r => r.Kind == "decoding")));
        var decode = ratios.Single(r => r.Kind == "decoding" && r.Model == "nano" && r.Peer == "compiled");
        Assert.Equal((84.5, 109.1, 0.775, "<= 0.8", true), (decode.Ours, decode.PeerValue!.Value, decode.Ratio!.Value, decode.Goal, decode.GoalMet!.Value));
    }

    /// <summary>The README's speed bullet is what <c>promptintern report</c> generates from the session it links to.</summary>
    [Fact]
    public void ReadmeSpeedBlock_IsGeneratedFromTheSessionItLinks()
    {
        var readme = File.ReadAllText(Path.Combine(KitPaths.Root, "README.md"));
        var block = Regex.Match(readme, "<!-- speed:begin -->\n(.*?)\n<!-- speed:end -->", RegexOptions.Singleline);
        Assert.True(block.Success, "README.md lacks the speed block");
        var session = Regex.Match(block.Groups[1].Value, @"\]\(results/bench/([^/)]+)/summary\.md\)").Groups[1].Value;
        Assert.NotEqual("", session);
        var bench = EngineBenchmark.Load(Path.Combine(KitPaths.Results, "bench", session));
        Assert.Equal(session, EngineBenchmark.Latest(Path.Combine(KitPaths.Results, "bench"), withLayouts: true)!.Session);
        Assert.Equal(bench.ReadmeBlock(KitPaths.Root, EngineBenchmark.Latest(Path.Combine(KitPaths.Results, "bench"))).Trim(), block.Groups[1].Value.Trim());
        Assert.Contains(bench.Speedups("llama2-7b").Max(r => r.Ours).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "x", block.Groups[1].Value);
    }

    /// <summary>results/README.md's engine table is the newest session's ratios, as <c>promptintern report</c> writes them.</summary>
    [Fact]
    public void ResultsReadmeBenchBlock_IsTheNewestSessionsRatios()
    {
        var readme = File.ReadAllText(Path.Combine(KitPaths.Results, "README.md"));
        var block = Regex.Match(readme, "<!-- bench:begin -->\n(.*?)\n<!-- bench:end -->", RegexOptions.Singleline);
        Assert.True(block.Success, "results/README.md lacks the bench block");
        var latest = EngineBenchmark.Latest(Path.Combine(KitPaths.Results, "bench"))!;
        Assert.Equal(latest.RatiosMarkdown(KitPaths.Results).Trim(), block.Groups[1].Value.Trim());
        Assert.Equal(latest.Ratios().Count, block.Groups[1].Value.Split('\n').Count(l => l.StartsWith("| training |") || l.StartsWith("| decoding |")));
    }
}
