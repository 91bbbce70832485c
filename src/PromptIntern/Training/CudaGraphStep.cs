using PromptIntern.Modeling;
using PromptIntern.Native;
using static TorchSharp.torch;

namespace PromptIntern.Training;

/// <summary>
/// One training step (zero grads, forward, loss, backward, clip, fused AdamW) captured once as a CUDA graph and then
/// replayed: the host issues one launch per step instead of one per kernel. Valid when every batch has the captured shape,
/// one micro-batch makes a step, and the optimizer reads its learning rate from a device tensor (the native fused AdamW):
/// before each replay the batch and the learning rate are copied into the graph's own tensors. The first step runs
/// eagerly (it is the warm-up that capture needs) and is then captured.
/// </summary>
public sealed class CudaGraphStep : IDisposable
{
    readonly LlamaModel _model;
    readonly MasterWeightAdamW _optimizer;
    readonly Tensor _lossSum, _ids, _labels, _lr;
    readonly double _maxNorm;
    readonly NativeExtension.CudaGraph _graph = new();
    bool _captured;

    /// <summary>Why a graphed step cannot run here, or null when it can.</summary>
    public static string? Unsupported(Device device, ITrainingOptimizer optimizer, int gradientAccumulation) =>
        !NativeExtension.UsableOn(device) ? $"needs a CUDA device and the native extension (native: {NativeExtension.Status})"
        : optimizer is not MasterWeightAdamW { SupportsLearningRateTensor: true } ? $"needs the native fused AdamW with a tensor learning rate (optimizer {optimizer.Name})"
        : gradientAccumulation != 1 ? "needs one micro-batch per step (gradient_accumulation 1)"
        : null;

    /// <param name="lossSum">Float32 [1] on the device; each step adds its loss there (read by the caller at log time).</param>
    public CudaGraphStep(LlamaModel model, MasterWeightAdamW optimizer, Tensor lossSum, long rows, long cols, double maxNorm)
    {
        (_model, _optimizer, _lossSum, _maxNorm) = (model, optimizer, lossSum, maxNorm);
        var device = lossSum.device;
        _ids = zeros([rows, cols], ScalarType.Int64, device).DetachFromDisposeScope();
        _labels = zeros([rows, cols], ScalarType.Int64, device).DetachFromDisposeScope();
        _lr = zeros([], ScalarType.Float32, device).DetachFromDisposeScope();
    }

    /// <summary>Whether a batch of this shape can use the captured graph (otherwise the caller runs an eager step).</summary>
    public bool Fits(long rows, long cols) => _ids.shape[0] == rows && _ids.shape[1] == cols;

    /// <summary>One optimizer step on <paramref name="ids"/>/<paramref name="labels"/> (on the device) at <paramref name="learningRate"/>.</summary>
    public void Run(Tensor ids, Tensor labels, double learningRate)
    {
        using (no_grad())
        {
            _ids.copy_(ids);
            _labels.copy_(labels);
            _lr.fill_(learningRate);
        }
        if (_captured) { _graph.Replay(); return; }
        _graph.Capture(Body);
        _captured = true;
    }

    void Body()
    {
        using var scope = NewDisposeScope();
        _optimizer.ZeroGrad();
        var loss = _model.Loss(_ids, _labels);
        loss.backward();
        using (no_grad()) _lossSum.add_(loss.detach().to(ScalarType.Float32));
        _optimizer.Step(_lr, _maxNorm);
    }

    public void Dispose()
    {
        _graph.Dispose();
        foreach (var t in new[] { _ids, _labels, _lr }) t.Dispose();
    }
}
