using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Training;

/// <summary>Restricts libtorch to deterministic kernels for the length of a training run (PyTorch's
/// use_deterministic_algorithms), so the same command on the same GPU model and software stack can give the same
/// weights: each GPU call of the kit pretrains its base anew, and bf16 pretraining with the default kernels gave a
/// different base on every machine. An operation without a deterministic kernel then throws instead of running.</summary>
/// <remarks>TorchSharp 0.107 declares use_deterministic_algorithms but marks it "not implemented", so this calls
/// libtorch's own at::Context setter (a C++ member: the context pointer goes first, as the x86-64 ABI passes `this`).
/// libtorch_cpu is already loaded by TorchSharp when a model exists, and the loader hands back that copy.</remarks>
public sealed class DeterministicKernels : IDisposable
{
    /// <summary>cuBLAS reads this when it creates its handle, so it must be in the environment before the process starts.</summary>
    public const string CublasWorkspaceVariable = "CUBLAS_WORKSPACE_CONFIG";
    const string Libtorch = "libtorch_cpu";

    [DllImport(Libtorch, EntryPoint = "_ZN2at13globalContextEv")]
    static extern IntPtr GlobalContext();

    [DllImport(Libtorch, EntryPoint = "_ZN2at7Context26setDeterministicAlgorithmsEbb")]
    static extern void SetDeterministicAlgorithms(IntPtr context, [MarshalAs(UnmanagedType.I1)] bool enabled, [MarshalAs(UnmanagedType.I1)] bool warnOnly);

    [DllImport(Libtorch, EntryPoint = "_ZNK2at7Context23deterministicAlgorithmsEv")]
    [return: MarshalAs(UnmanagedType.I1)]
    static extern bool DeterministicAlgorithms(IntPtr context);

    /// <summary>Whether libtorch currently runs deterministic kernels only.</summary>
    public static bool Enabled => DeterministicAlgorithms(GlobalContext());

    readonly bool _previous;

    DeterministicKernels()
    {
        _previous = Enabled;
        SetDeterministicAlgorithms(GlobalContext(), true, false);
    }

    public static DeterministicKernels Enable(Device device)
    {
        if (device.type == DeviceType.CUDA && Environment.GetEnvironmentVariable(CublasWorkspaceVariable) is not (":4096:8" or ":16:8"))
            throw new InvalidOperationException(
                $"deterministic training on CUDA needs {CublasWorkspaceVariable}=:4096:8 (or :16:8) set before the process starts; " +
                "cuBLAS otherwise picks non-deterministic reductions");
        return new DeterministicKernels();
    }

    public void Dispose() => SetDeterministicAlgorithms(GlobalContext(), _previous, false);
}
