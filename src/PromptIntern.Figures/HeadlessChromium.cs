using System.Diagnostics;

namespace PromptIntern.Figures;

/// <summary>Renders a local HTML file to PNG with the machine's Chromium in headless mode (never downloads a browser).</summary>
public static class HeadlessChromium
{
    /// <summary>Set to a browser executable to override the search ($PROMPTINTERN_CHROMIUM does the same).</summary>
    public const string EnvironmentVariable = "PROMPTINTERN_CHROMIUM";

    static readonly string[] Candidates =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    /// <summary>The browser executable, or null when none is installed.</summary>
    public static string? Find()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) return File.Exists(env) ? env : null;
        return Candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Why PNG export cannot run here, or null when it can.</summary>
    public static string? UnavailableReason() => Find() is null
        ? $"no Chromium found (looked for {string.Join(", ", Candidates)} and ${EnvironmentVariable}); install it with `apt-get install -y chromium`"
        : null;

    /// <summary>Screenshots <paramref name="htmlPath"/> at the given viewport size into <paramref name="pngPath"/> (written atomically).</summary>
    public static void Screenshot(string htmlPath, string pngPath, int width, int height, TimeSpan? timeout = null)
    {
        var browser = Find() ?? throw new ChromiumNotFoundException(UnavailableReason()!);
        var profile = Directory.CreateTempSubdirectory("promptintern-chromium-");
        var shot = Path.Combine(profile.FullName, "shot.png");
        try
        {
            var psi = new ProcessStartInfo(browser)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            // Flags verified on Debian 12 as root in a container; the fresh profile keeps runs independent.
            foreach (var arg in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--hide-scrollbars", $"--user-data-dir={profile.FullName}", $"--window-size={width},{height}",
                         "--virtual-time-budget=10000", $"--screenshot={shot}", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri,
                     })
                psi.ArgumentList.Add(arg);
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new IOException($"{browser} did not finish rendering {htmlPath} within the timeout");
            }
            if (process.ExitCode != 0 || !File.Exists(shot))
                throw new IOException($"{browser} failed to render {htmlPath} (exit {process.ExitCode}): {Tail(stderr.Result)}");
            Data.AtomicFile.WriteAllBytes(pngPath, File.ReadAllBytes(shot));
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { /* chromium may still hold a lock file */ }
        }
    }

    static string Tail(string text) => text.Length <= 2000 ? text.Trim() : text[^2000..].Trim();
}

/// <summary>PNG export was asked for on a machine without a Chromium browser.</summary>
public sealed class ChromiumNotFoundException(string message) : Exception(message);
