using Xunit;

// Test classes run one after another: TorchSharp's dropout and initialisation draw from one process-wide generator,
// so tests that assert exact resume (same loss curve after a restart) must not share it with tests running beside them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
