namespace PromptIntern.Training;

/// <summary>What the training loop needs from an optimizer: clear grads, one clipped step at a learning rate, and its
/// state in a checkpoint folder. <see cref="Name"/> says which implementation ran (results record it).</summary>
public interface ITrainingOptimizer : IDisposable
{
    string Name { get; }
    void ZeroGrad();
    /// <summary>Clips the gradients' joint norm to <paramref name="maxNorm"/> (0 = no clipping), then updates the weights.</summary>
    void Step(double learningRate, double maxNorm);
    void Save(string checkpointDir);
    void Load(string checkpointDir);
}
