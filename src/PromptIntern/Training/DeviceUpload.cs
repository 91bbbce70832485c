using static TorchSharp.torch;

namespace PromptIntern.Training;

/// <summary>Host arrays to the device without a host sync: a plain copy from pageable memory makes libtorch wait for
/// the stream to drain (the GPU then idles while the host queues the next step); from pinned memory it is queued.</summary>
public static class DeviceUpload
{
    public static Tensor Int64(long[] data, long[] shape, Device device)
    {
        var host = tensor(data, shape);
        if (device.type != TorchSharp.DeviceType.CUDA) return host;
        using var pinned = host.pin_memory();
        host.Dispose();
        return pinned.to(device, non_blocking: true);
    }
}
