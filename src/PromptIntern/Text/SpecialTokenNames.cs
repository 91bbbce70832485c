namespace PromptIntern.Text;

/// <summary>The special tokens the kit's own tokenizers carry. They are never produced from text: the model code adds them.</summary>
public static class SpecialTokenNames
{
    public const string Bos = "<|bos|>";
    public const string Eos = "<|eos|>";
    public const string Pad = "<|pad|>";
    /// <summary>Separates prompt and completion where a training format wants an explicit boundary.</summary>
    public const string Sep = "<|sep|>";

    public static readonly IReadOnlyList<string> All = [Bos, Eos, Pad, Sep];
}
