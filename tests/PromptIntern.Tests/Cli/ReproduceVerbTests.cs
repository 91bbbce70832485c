using PromptIntern.Cli;
using Xunit;

namespace PromptIntern.Tests.Cli;

public class ReproduceVerbTests
{
    [Fact]
    public void HeartbeatLog_RepeatsTheStatus_WhileAPhaseIsSilent()
    {
        var sw = new StringWriter();
        using (var log = new HeartbeatLog(TextWriter.Synchronized(sw), TimeSpan.FromMilliseconds(100)))
        {
            log.Report("train", "train step 1/9");
            // Timers run late on a busy machine: wait for the repeats rather than a fixed time.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (sw.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length < 3 && clock.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(50);
        }
        var lines = sw.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 3, sw.ToString());
        Assert.All(lines, l => Assert.EndsWith("train step 1/9", l.TrimEnd()));
    }

    [Fact]
    public void Help_NamesTheCommandPromptintern()
    {
        var sw = new StringWriter();
        CliApp.Run(["--help"], sw);
        Assert.Contains("promptintern [command] [options]", sw.ToString());
        Assert.DoesNotContain("PromptIntern.Cli", sw.ToString());
    }
}
