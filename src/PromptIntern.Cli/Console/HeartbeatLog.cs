using System.Diagnostics;

namespace PromptIntern.Cli;

/// <summary>Progress for output that goes to a file or pipe, where a progress bar cannot redraw: one timestamped line
/// when the status changes to a new phase, and the latest status again at least every <see cref="Interval"/>, so a long
/// training phase is never silent.</summary>
public sealed class HeartbeatLog : IDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(20);

    public TimeSpan Interval { get; }

    readonly TextWriter _writer;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly Timer _timer;
    readonly Lock _gate = new();
    string _phase = "", _status = "starting";
    TimeSpan _lastLine;

    public HeartbeatLog(TextWriter writer, TimeSpan? interval = null)
    {
        _writer = writer;
        Interval = interval ?? DefaultInterval;
        _timer = new Timer(_ => Beat(), null, Interval, Interval);
    }

    /// <summary>Records the status; prints it at once when <paramref name="phase"/> differs from the last one.</summary>
    public void Report(string phase, string status)
    {
        lock (_gate)
        {
            _status = status;
            if (phase == _phase) return;
            _phase = phase;
            Write();
        }
    }

    void Beat()
    {
        lock (_gate)
            if (_clock.Elapsed - _lastLine >= Interval * 0.9) Write();
    }

    void Write()
    {
        _lastLine = _clock.Elapsed;
        _writer.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {_status}");
        _writer.Flush();
    }

    public void Dispose() => _timer.Dispose();
}
