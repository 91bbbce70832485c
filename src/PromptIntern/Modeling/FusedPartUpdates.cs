using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>
/// The updates that adapters (LoRA) of a fused projection's parts (q_proj in qkv_proj) would add in place to their row
/// slices of its output, handed instead to a kernel that reads that output anyway (the native RoPE over qkv). An
/// in-place add on a slice is a strided kernel, and autograd's backward of it copies the whole gradient twice over.
/// While a collection is open for a module on this thread, its part adapters give their updates to it; whatever is
/// not taken by a kernel goes back through <see cref="AddInto"/>, the adapters' own in-place form.
/// </summary>
public sealed class FusedPartUpdates : IDisposable
{
    [ThreadStatic] static FusedPartUpdates? _open;

    readonly nn.Module _module;
    readonly FusedPartUpdates? _outer;
    readonly List<(long Offset, long Rows, Tensor Update)> _updates = [];

    FusedPartUpdates(nn.Module module, FusedPartUpdates? outer) => (_module, _outer) = (module, outer);

    /// <summary>Opens a collection for <paramref name="fused"/> on this thread until disposed.</summary>
    public static FusedPartUpdates Collect(nn.Module fused) => _open = new FusedPartUpdates(fused, _open);

    /// <summary>Called by a part adapter of <paramref name="fused"/>: whether a collection took its update (computed only
    /// then); when false the adapter adds the update itself.</summary>
    public static bool TryGive(nn.Module fused, long offset, long rows, Func<Tensor> update)
    {
        if (_open is not { } open || !ReferenceEquals(open._module, fused)) return false;
        open._updates.Add((offset, rows, update()));
        return true;
    }

    /// <summary>The sum of the updates given for exactly rows [offset, offset + rows), or null where none was.</summary>
    public Tensor? For(long offset, long rows)
    {
        Tensor? sum = null;
        foreach (var u in _updates.Where(u => u.Offset == offset && u.Rows == rows)) sum = sum is null ? u.Update : sum + u.Update;
        return sum;
    }

    /// <summary>Whether every update is for one of <paramref name="parts"/> (offset, rows), so that <see cref="For"/> over
    /// them takes all.</summary>
    public bool Within(params (long Offset, long Rows)[] parts) => _updates.All(u => parts.Contains((u.Offset, u.Rows)));

    /// <summary>Adds every update to its rows of <paramref name="output"/> in place, as the adapters do without a collection.</summary>
    public void AddInto(Tensor output)
    {
        foreach (var (offset, rows, update) in _updates) output.narrow(-1, offset, rows).add_(update);
    }

    public void Dispose()
    {
        if (ReferenceEquals(_open, this)) _open = _outer;
    }
}
