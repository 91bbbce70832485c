using System.Diagnostics;
using System.Text.Json;
using PromptIntern.Data;

namespace PromptIntern.UserTasks;

/// <summary>Runs a user's checking command once per prediction: <c>/bin/sh -c COMMAND</c> in the task file's folder, with
/// the row as JSON on stdin ({"id", "query", "answer", "prediction"}) and in $PI_ID, $PI_QUERY, $PI_ANSWER, $PI_PREDICTION.
/// Exit status 0 = pass. Killed after the time limit (a fail). This is a plain process, NOT a sandbox: it runs with the
/// user's rights, so the command must be one the user trusts with model output (see examples/README).</summary>
public sealed class CommandCheck(string command, string workingDirectory, double timeoutSeconds)
{
    public sealed record Outcome(bool Passed, string Detail);

    public Outcome Run(TaskExample row, string prediction)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory, RedirectStandardInput = true, RedirectStandardOutput = true,
            RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        psi.Environment["PI_ID"] = row.Id;
        psi.Environment["PI_QUERY"] = row.Query;
        psi.Environment["PI_ANSWER"] = row.Answer;
        psi.Environment["PI_PREDICTION"] = prediction;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start /bin/sh for '{command}'");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.Write(JsonSerializer.Serialize(new { id = row.Id, query = row.Query, answer = row.Answer, prediction }));
            process.StandardInput.Close();
        }
        catch (IOException) { /* the command need not read its input */ }
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new Outcome(false, $"timeout after {timeoutSeconds:0.#} s");
        }
        var output = (stderr.Result.Length > 0 ? stderr.Result : stdout.Result).Trim();
        if (output.Length > 300) output = output[..300] + "…";
        return new Outcome(process.ExitCode == 0, process.ExitCode == 0 ? "pass" : $"exit {process.ExitCode}: {output}");
    }
}
