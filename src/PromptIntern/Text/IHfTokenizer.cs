namespace PromptIntern.Text;

/// <summary>A tokenizer read from a Hugging Face tokenizer.json, with the calls that transformers' own encoding maps to.</summary>
public interface IHfTokenizer : ITokenizer
{
    /// <summary>Token ids; with <paramref name="parseSpecialTokens"/>, added tokens in the text become their ids.</summary>
    int[] Encode(string text, bool parseSpecialTokens);
    /// <summary>As transformers' tokenizer(text) gives: added tokens parsed, BOS / EOS as the tokenizer's files say.</summary>
    int[] EncodeWithSpecialTokens(string text);
    string Decode(IEnumerable<int> ids, bool skipSpecialTokens);
    /// <summary>"byte-level BPE" or "SentencePiece-style BPE", with the details that matter (regex, normaliser, byte fallback).</summary>
    string Kind { get; }
}
