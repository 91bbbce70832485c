using System.Diagnostics;
using PromptIntern.Provenance;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Provenance;

public class RunProvenanceTests
{
    static void Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-c", "user.name=test", "-c", "user.email=test@example.com", .. args]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)}: {p.StandardError.ReadToEnd()}");
    }

    [Fact]
    public void Capture_RecordsTheCommit_AndCallsOnlyCodeChangesDirty()
    {
        var repo = TempDir();
        Directory.CreateDirectory(Path.Combine(repo, "src"));
        Directory.CreateDirectory(Path.Combine(repo, "results"));
        File.WriteAllText(Path.Combine(repo, "src", "Code.cs"), "class A {}");
        File.WriteAllText(Path.Combine(repo, "results", "metrics.json"), "{}");
        File.WriteAllText(Path.Combine(repo, "README.md"), "# r");
        Git(repo, "init", "-q");
        Git(repo, "add", "-A");
        Git(repo, "commit", "-q", "-m", "first");

        var clean = RunProvenance.Capture(repositoryDirectory: repo);
        Assert.Matches("^[0-9a-f]{40}$", clean.Commit);
        Assert.False(clean.CommitDirty);

        // A run rewriting committed results or the README's generated sections does not make later results "dirty" ...
        File.WriteAllText(Path.Combine(repo, "results", "metrics.json"), "{\"x\": 1}");
        File.WriteAllText(Path.Combine(repo, "README.md"), "# r2");
        Assert.False(RunProvenance.Capture(repositoryDirectory: repo).CommitDirty);

        // ... a change to code does.
        File.WriteAllText(Path.Combine(repo, "src", "Code.cs"), "class B {}");
        Assert.True(RunProvenance.Capture(repositoryDirectory: repo).CommitDirty);
    }

    [Fact]
    public void Capture_RecordsTheEnvironmentVariablesThatSteerLibtorch_AndNoOthers()
    {
        Environment.SetEnvironmentVariable("TORCH_CUDNN_SDPA_DEPRIORITIZED", "1");
        Environment.SetEnvironmentVariable("UNRELATED_TEST_VARIABLE", "x");
        try
        {
            var env = RunProvenance.Capture().Machine.TorchEnv!;
            Assert.Equal("1", env["TORCH_CUDNN_SDPA_DEPRIORITIZED"]);
            Assert.DoesNotContain("UNRELATED_TEST_VARIABLE", env.Keys);
            Assert.Contains("\"torch_env\"", RunProvenance.Capture().ToJson());
        }
        finally
        {
            Environment.SetEnvironmentVariable("TORCH_CUDNN_SDPA_DEPRIORITIZED", null);
            Environment.SetEnvironmentVariable("UNRELATED_TEST_VARIABLE", null);
        }
    }
}
