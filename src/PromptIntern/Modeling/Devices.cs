using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Device names as users type them: cpu, cuda, cuda:N, or auto (CUDA when present).</summary>
public static class Devices
{
    public static Device Parse(string name) => name.ToLowerInvariant() switch
    {
        "auto" => cuda.is_available() ? CUDA : CPU,
        "cpu" => CPU,
        var n when n.StartsWith("cuda") => cuda.is_available() ? new Device(n)
            : throw new ArgumentException($"--device {name}: CUDA is not available here (TorchSharp found no CUDA libtorch)."),
        _ => throw new ArgumentException($"--device '{name}': expected cpu, cuda, cuda:N or auto."),
    };
}
