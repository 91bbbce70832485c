using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace PromptIntern.Text;

/// <summary>The tokenizer of the kit's language models: a byte-level BPE that the kit trains itself (or loads from a
/// Hugging Face checkpoint), run by Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>. Decoding an encoding gives back
/// the exact input for any valid Unicode string. Special tokens are never read from text unless asked for.</summary>
public sealed class ModelTokenizer : IHfTokenizer
{
    public const string TokenizerJsonFile = "tokenizer.json";
    public const string VocabFile = "vocab.json";
    public const string MergesFile = "merges.txt";
    public const string ConfigFile = "tokenizer_config.json";

    readonly BpeTokenizer _bpe;
    readonly Regex _pattern;
    readonly Dictionary<int, int> _byteLength = new();
    readonly Dictionary<int, string> _idToToken = new();
    readonly KeyValuePair<string, int>[] _specialsLongestFirst;

    /// <summary>Vocabulary, merges, special tokens and pre-tokenizer pattern: what <see cref="Save"/> writes.</summary>
    public BpeModel Model { get; }

    /// <summary>A label for reports and token counts (e.g. "promptintern-bpe-8192").</summary>
    public string Name { get; }

    /// <summary>One more than the largest id; the size of a model's embedding table.</summary>
    public int VocabSize { get; }

    public int BosId { get; }
    public int EosId { get; }
    /// <summary>Padding id; the EOS id when the tokenizer has no pad token.</summary>
    public int PadId { get; }

    /// <summary>Whether transformers would add BOS / EOS when encoding with special tokens (a loaded tokenizer.json's
    /// post-processor, else tokenizer_config.json). Whether the kit's own sequences start with BOS is <see cref="PrependsBos"/>.</summary>
    public bool AddBosToken { get; init; }
    public bool AddEosToken { get; init; }
    /// <summary>Loaded from a tokenizer.json: BOS first as <see cref="SpecialTokenRoles.PrependsBos"/> decides from the files;
    /// otherwise (trained here, vocab.json + merges.txt) always.</summary>
    public bool FromTokenizerJson { get; init; }
    public bool PrependsBos => !FromTokenizerJson || SpecialTokenRoles.PrependsBos(AddBosToken, TokenString(BosId));

    public string Kind => "byte-level BPE" + (Model.Pattern == PreTokenizerPattern.Gpt2 ? " (GPT-2 regex)" : Model.Pattern == PreTokenizerPattern.Default ? " (kit regex)" : " (custom regex)")
        + (Model.NfcNormalize ? ", NFC" : "") + (Model.IgnoreMerges ? ", ignore_merges" : "");

    /// <summary>The library tokenizer that does the encoding and decoding.</summary>
    public Tokenizer Inner => _bpe;

    public ModelTokenizer(BpeModel model, string name, SpecialTokenRoles? roles = null)
    {
        Model = model;
        Name = name;
        VocabSize = model.VocabSize;
        foreach (var (token, id) in model.Vocab)
        {
            _idToToken[id] = token;
            _byteLength[id] = token.Length; // byte-level: one character per byte
        }
        foreach (var (token, id) in model.SpecialTokens) _idToToken[id] = token;
        _specialsLongestFirst = model.SpecialTokens.OrderByDescending(kv => kv.Key.Length).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToArray();

        var r = roles ?? new SpecialTokenRoles();
        EosId = ResolveRole("eos", r.Eos, SpecialTokenRoles.EosCandidates)
            ?? throw new InvalidOperationException($"tokenizer '{name}' has no end-of-sequence token (looked for {string.Join(", ", SpecialTokenRoles.EosCandidates)})");
        BosId = ResolveRole("bos", r.Bos, SpecialTokenRoles.BosCandidates) ?? EosId;
        PadId = ResolveRole("pad", r.Pad, SpecialTokenRoles.PadCandidates) ?? EosId;

        _pattern = PreTokenizerPattern.Compile(model.Pattern);
        _bpe = BpeTokenizer.Create(new BpeOptions(model.Vocab)
        {
            Merges = model.Merges,
            ByteLevel = true,
            // No special tokens for the pre-tokenizer: text such as "<|eos|>" in user data stays text.
            PreTokenizer = new RegexPreTokenizer(_pattern, null),
            SpecialTokens = model.SpecialTokens.Count == 0 ? null : new Dictionary<string, int>(model.SpecialTokens),
        });
    }

    /// <summary>Trains a new vocabulary of <paramref name="vocabSize"/> tokens on <paramref name="corpus"/> (see <see cref="BpeTrainer"/>).</summary>
    public static ModelTokenizer Train(IEnumerable<string> corpus, int vocabSize, BpeTrainerOptions? options = null,
        string? name = null, IProgress<BpeTrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        var o = (options ?? new BpeTrainerOptions()) with { VocabSize = vocabSize };
        var model = BpeTrainer.Train(corpus, o, progress, cancel);
        return new ModelTokenizer(model, name ?? $"promptintern-bpe-{vocabSize}");
    }

    /// <summary>Loads a tokenizer folder: tokenizer.json if present (the kit's own or a Hugging Face one), else
    /// vocab.json + merges.txt with GPT-2's pre-tokenizer; tokenizer_config.json, when present, names the special tokens.</summary>
    public static ModelTokenizer Load(string dir) => TokenizerFolder.Load(dir);

    /// <summary>Writes tokenizer.json, vocab.json, merges.txt and tokenizer_config.json into <paramref name="dir"/>.</summary>
    public void Save(string dir) => TokenizerFolder.Save(this, dir);

    /// <summary>Token ids of <paramref name="text"/>; literal special-token strings in it are encoded as ordinary text.</summary>
    public int[] Encode(string text) => Encode(text, parseSpecialTokens: false);

    /// <summary>Token ids of <paramref name="text"/>. With <paramref name="parseSpecialTokens"/>, literal special-token
    /// strings in the text become their ids; otherwise they are encoded as ordinary text.</summary>
    public int[] Encode(string text, bool parseSpecialTokens) =>
        EncodeWithOffsets(text, parseSpecialTokens).Select(t => t.Id).ToArray();

    /// <summary>As transformers encodes by default: special tokens parsed, BOS / EOS added as the tokenizer's files say.</summary>
    public int[] EncodeWithSpecialTokens(string text) =>
        [.. AddBosToken ? [BosId] : Array.Empty<int>(), .. Encode(text, parseSpecialTokens: true), .. AddEosToken ? [EosId] : Array.Empty<int>()];

    /// <summary>Tokens with the characters of <paramref name="text"/> each stands for; the spans tile the text exactly
    /// (the NFC-normalised text, for tokenizers that normalise).</summary>
    public IReadOnlyList<TokenSpan> EncodeWithOffsets(string text, bool parseSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Model.NfcNormalize) text = text.Normalize(NormalizationForm.FormC);
        var spans = new List<TokenSpan>();
        int pos = 0;
        if (parseSpecialTokens)
            while (NextSpecial(text, pos) is var (at, special, id) && at >= 0)
            {
                EncodePlain(text, pos, at - pos, spans);
                spans.Add(new TokenSpan(id, at, special.Length));
                pos = at + special.Length;
            }
        EncodePlain(text, pos, text.Length - pos, spans);
        return spans;
    }

    /// <summary>Text of the ids without special tokens (as generation wants it). Exact inverse of <see cref="Encode(string)"/>.</summary>
    public string Decode(IEnumerable<int> ids) => Decode(ids, skipSpecialTokens: true);

    /// <summary>Text of the ids; special tokens appear as their strings unless <paramref name="skipSpecialTokens"/>.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens) =>
        _bpe.Decode(ids, considerSpecialTokens: !skipSpecialTokens) ?? "";

    /// <summary>The token's string as stored in vocab.json (byte-level characters, e.g. "Ġthe").</summary>
    public string TokenString(int id) => _idToToken.TryGetValue(id, out var s) ? s : throw new ArgumentOutOfRangeException(nameof(id), $"id {id} is not in the vocabulary");

    public bool IsSpecial(int id) => Model.SpecialTokens.Values.Contains(id);

    /// <summary>The id of a token string, or null.</summary>
    public int? TokenToId(string token) =>
        Model.SpecialTokens.TryGetValue(token, out int s) ? s : Model.Vocab.TryGetValue(token, out int v) ? v : null;

    void EncodePlain(string text, int start, int length, List<TokenSpan> spans)
    {
        if (length == 0) return;
        var piece = text.Substring(start, length);
        var ids = Model.IgnoreMerges ? EncodeIgnoringMerges(piece) : _bpe.EncodeToIds(piece);
        // Char index at each UTF-8 character start, so that token byte boundaries snap to character boundaries.
        var charAtByte = new List<(int Byte, int Char)>(piece.Length + 1);
        int bytePos = 0;
        for (int c = 0; c < piece.Length;)
        {
            charAtByte.Add((bytePos, c));
            Rune.DecodeFromUtf16(piece.AsSpan(c), out var rune, out int used);
            bytePos += rune.Utf8SequenceLength;
            c += used;
        }
        charAtByte.Add((bytePos, piece.Length));

        int k = 0, tokenByte = 0;
        int CharAtOrAfter(int b)
        {
            while (charAtByte[k].Byte < b) k++;
            return charAtByte[k].Char;
        }
        int prevChar = 0;
        foreach (int id in ids)
        {
            tokenByte += _byteLength.TryGetValue(id, out int n) ? n
                : throw new InvalidOperationException($"token id {id} produced by the encoder is not in the vocabulary");
            if (tokenByte > bytePos) throw new InvalidOperationException("tokens cover more bytes than the text holds");
            int end = CharAtOrAfter(tokenByte);
            spans.Add(new TokenSpan(id, start + prevChar, end - prevChar));
            prevChar = end;
        }
        if (tokenByte != bytePos)
            throw new InvalidOperationException($"tokens cover {tokenByte} of {bytePos} bytes; the pre-tokenizer pattern does not match every character");
    }

    // Llama 3's ignore_merges: a pre-token that is itself in the vocabulary is one token; the rest go through BPE.
    List<int> EncodeIgnoringMerges(string piece)
    {
        var ids = new List<int>();
        foreach (Match m in _pattern.Matches(piece))
        {
            if (Model.Vocab.TryGetValue(ByteLevelAlphabet.ToToken(Encoding.UTF8.GetBytes(m.Value)), out int id)) ids.Add(id);
            else ids.AddRange(_bpe.EncodeToIds(m.Value));
        }
        return ids;
    }

    // The earliest special-token occurrence at or after from (longest wins on a tie); At = -1 when there is none.
    (int At, string Special, int Id) NextSpecial(string text, int from)
    {
        (int At, string Special, int Id) best = (-1, "", -1);
        foreach (var (s, id) in _specialsLongestFirst)
        {
            int at = text.IndexOf(s, from, StringComparison.Ordinal);
            if (at >= 0 && (best.At < 0 || at < best.At)) best = (at, s, id);
        }
        return best;
    }

    int? ResolveRole(string role, string? named, IReadOnlyList<string> candidates)
    {
        if (named is not null)
            return TokenToId(named) ?? throw new InvalidOperationException($"tokenizer '{Name}': {role} token '{named}' is not in the vocabulary");
        foreach (var c in candidates)
            if (TokenToId(c) is int id) return id;
        return null;
    }
}
