namespace PromptIntern.Text;

/// <summary>Which special tokens act as BOS, EOS and padding. Unset roles are found by the usual names
/// (the kit's own, then those of GPT-2, Llama and friends).</summary>
public sealed record SpecialTokenRoles(string? Bos = null, string? Eos = null, string? Pad = null)
{
    public static readonly IReadOnlyList<string> BosCandidates = [SpecialTokenNames.Bos, "<s>", "<|begin_of_text|>", "<|endoftext|>"];
    public static readonly IReadOnlyList<string> EosCandidates = [SpecialTokenNames.Eos, "</s>", "<|end_of_text|>", "<|endoftext|>", "<|eot_id|>", "<|im_end|>"];
    public static readonly IReadOnlyList<string> PadCandidates = [SpecialTokenNames.Pad, "<pad>", "<|pad|>", "[PAD]"];

    /// <summary>The kit puts BOS first where transformers would for this checkpoint (the tokenizer's post-processor or
    /// tokenizer_config.json's add_bos_token: Llama, Mistral yes; Qwen, whose bos_token is null, no), and always for the
    /// kit's own tokenizers (BOS <c>&lt;|bos|&gt;</c>), whose models were trained that way although their config says false.</summary>
    public static bool PrependsBos(bool addBos, string? bosToken) => addBos || bosToken == SpecialTokenNames.Bos;
}
