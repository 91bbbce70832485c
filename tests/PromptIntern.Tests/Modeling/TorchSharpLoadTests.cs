using Xunit;
using static TorchSharp.torch;

namespace PromptIntern.Tests.Modeling;

/// <summary>Proves the Debian 12 fix (build/TorchSharpDebianFix.targets) works: the native TorchSharp library loads and computes.</summary>
public class TorchSharpLoadTests
{
    [Fact]
    public void TorchSharp_LoadsAndComputesOnCpu()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var b = a.matmul(a).sum();
        Assert.Equal(54f, b.item<float>());   // [[7,10],[15,22]] sums to 54
    }
}
