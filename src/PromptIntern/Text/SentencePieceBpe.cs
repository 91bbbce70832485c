using System.Text;
using PromptIntern.Data;

namespace PromptIntern.Text;

/// <summary>SentencePiece-style BPE as Llama-2, Mistral and Mixtral ship it in tokenizer.json: spaces become '▁' (a
/// Prepend+Replace normalizer or a Metaspace pre-tokenizer), merges apply by rank over characters, and characters
/// outside the vocabulary fall back to byte tokens &lt;0xXX&gt;. Microsoft.ML.Tokenizers reads this kind only from a
/// SentencePiece .model file, so the kit implements it over tokenizer.json.</summary>
public sealed class SentencePieceBpe : IHfTokenizer
{
    /// <summary>How '▁' enters the text: Llama-2's normalizer prepends one to every piece; Metaspace prepends on the
    /// first piece only ("first") or on each ("always") unless the piece starts with one, and may split words at '▁'.</summary>
    public sealed record Spacing(bool PrependNormalizer, string MetaspacePrepend = "never", bool MetaspaceSplit = false);

    const char Meta = '▁';
    readonly Dictionary<string, int> _vocab;
    readonly Dictionary<int, string> _tokens = new();
    readonly Dictionary<(int, int), (int Rank, int Id)> _merges = new();
    readonly int?[] _byteIds = new int?[256];
    readonly int? _unk;
    readonly bool _fuseUnk, _ignoreMerges;
    readonly string _json, _configJson;

    public IReadOnlyList<AddedToken> Added { get; }
    public string Kind => "SentencePiece-style BPE" + (_byteIds.Any(b => b is not null) ? ", byte fallback" : "")
        + (Spaces.PrependNormalizer ? ", Prepend+Replace normalizer" : $", Metaspace (prepend {Spaces.MetaspacePrepend})");
    public Spacing Spaces { get; }
    public string Name { get; }
    public int VocabSize { get; }
    public int BosId { get; }
    public int EosId { get; }
    public int PadId { get; }
    /// <summary>Whether encoding with special tokens starts with BOS / ends with EOS (tokenizer_config.json, else the post-processor).</summary>
    public bool AddBosToken { get; }
    public bool AddEosToken { get; }
    public bool PrependsBos { get; }

    internal SentencePieceBpe(HfTokenizerJson.SentencePieceParts p, string name, string json, string configJson)
    {
        _vocab = p.Vocab;
        foreach (var (t, id) in _vocab) _tokens[id] = t;
        foreach (var a in p.Added) _tokens[a.Id] = a.Content;
        for (int rank = 0; rank < p.Merges.Count; rank++)
        {
            var (l, r) = p.Merges[rank];
            if (_vocab.TryGetValue(l, out int a) && _vocab.TryGetValue(r, out int b) && _vocab.TryGetValue(l + r, out int m))
                _merges.TryAdd((a, b), (rank, m));
        }
        for (int b = 0; b < 256; b++) _byteIds[b] = p.ByteFallback && _vocab.TryGetValue($"<0x{b:X2}>", out int id) ? id : null;
        _unk = p.UnkToken is { } u && _vocab.TryGetValue(u, out int unk) ? unk : null;
        (_fuseUnk, _ignoreMerges, Added, Spaces, Name, _json, _configJson) = (p.FuseUnk, p.IgnoreMerges, p.Added, p.Spaces, name, json, configJson);
        VocabSize = _tokens.Keys.Max() + 1;
        int? Find(string? token) =>
            token is null ? null : _vocab.TryGetValue(token, out int i) ? i : Added.FirstOrDefault(a => a.Content == token)?.Id;
        EosId = Find(p.Roles.Eos) ?? Find("</s>") ?? throw new DataFormatException(name, 0, "eos_token", "no end-of-sequence token");
        BosId = Find(p.Roles.Bos) ?? Find("<s>") ?? EosId;
        PadId = Find(p.Roles.Pad) ?? EosId;
        (AddBosToken, AddEosToken) = (p.AddBos, p.AddEos);
        PrependsBos = SpecialTokenRoles.PrependsBos(AddBosToken, _tokens[BosId]);
    }

    /// <summary>Token ids of the text; added-token strings in it stay text (as the kit's other tokenizers do).</summary>
    public int[] Encode(string text) => Encode(text, parseSpecialTokens: false);

    /// <summary>Token ids; with <paramref name="parseSpecialTokens"/>, added tokens in the text become their ids (Hugging Face's default).</summary>
    public int[] Encode(string text, bool parseSpecialTokens)
    {
        var ids = new List<int>();
        var segments = parseSpecialTokens ? AddedTokens.Split(text, Added) : [new AddedTokens.Segment(0, text.Length, null)];
        foreach (var s in segments)
        {
            if (s.Id is { } id) { ids.Add(id); continue; }
            foreach (var word in Words(text.Substring(s.Start, s.Length), first: s.Start == 0)) ids.AddRange(Bpe(word));
        }
        return ids.ToArray();
    }

    /// <summary>As transformers encodes by default: added tokens parsed, BOS / EOS added as the tokenizer's files say.</summary>
    public int[] EncodeWithSpecialTokens(string text) =>
        [.. AddBosToken ? [BosId] : Array.Empty<int>(), .. Encode(text, parseSpecialTokens: true), .. AddEosToken ? [EosId] : Array.Empty<int>()];

    IEnumerable<string> Words(string piece, bool first)
    {
        if (piece.Length == 0) yield break;
        string s = piece.Replace(' ', Meta);
        if (Spaces.PrependNormalizer) s = Meta + s;
        else if ((Spaces.MetaspacePrepend == "always" || Spaces.MetaspacePrepend == "first" && first) && s[0] != Meta) s = Meta + s;
        if (!Spaces.MetaspaceSplit) { yield return s; yield break; }
        int start = 0;
        for (int i = 1; i < s.Length; i++)
            if (s[i] == Meta) { yield return s[start..i]; start = i; }
        yield return s[start..];
    }

    // BPE over one word: characters (or their bytes) first, then the lowest-ranked merge anywhere, leftmost on a tie.
    List<int> Bpe(string word)
    {
        if (_ignoreMerges && _vocab.TryGetValue(word, out int whole)) return [whole];
        var sym = new List<int>();
        bool lastUnk = false;
        for (int i = 0; i < word.Length;)
        {
            Rune.DecodeFromUtf16(word.AsSpan(i), out var rune, out int used);
            var ch = word.Substring(i, used);
            i += used;
            if (_vocab.TryGetValue(ch, out int id)) { sym.Add(id); lastUnk = false; continue; }
            var bytes = Encoding.UTF8.GetBytes(ch);
            if (bytes.All(b => _byteIds[b] is not null)) { sym.AddRange(bytes.Select(b => _byteIds[b]!.Value)); lastUnk = false; continue; }
            if (_unk is not { } unk) throw new InvalidOperationException($"tokenizer '{Name}': '{ch}' is not in the vocabulary and there is no unk_token or byte fallback");
            if (!(_fuseUnk && lastUnk)) sym.Add(unk);
            lastUnk = true;
        }
        int n = sym.Count;
        var next = Enumerable.Range(1, n).Select(k => k < n ? k : -1).ToArray();
        var prev = Enumerable.Range(-1, n).ToArray();
        var gone = new bool[n];
        var queue = new PriorityQueue<(int Pos, int Id), (int Rank, int Pos)>();
        void Push(int pos)
        {
            if (pos >= 0 && next[pos] >= 0 && _merges.TryGetValue((sym[pos], sym[next[pos]]), out var m)) queue.Enqueue((pos, m.Id), (m.Rank, pos));
        }
        for (int k = 0; k < n; k++) Push(k);
        while (queue.TryDequeue(out var top, out _))
        {
            int i = top.Pos, j = next[i];
            if (gone[i] || j < 0 || !_merges.TryGetValue((sym[i], sym[j]), out var m) || m.Id != top.Id) continue;
            sym[i] = m.Id;
            gone[j] = true;
            next[i] = next[j];
            if (next[j] >= 0) prev[next[j]] = i;
            Push(prev[i]);
            Push(i);
        }
        return Enumerable.Range(0, n).Where(k => !gone[k]).Select(k => sym[k]).ToList();
    }

    /// <summary>Text of the ids without special tokens.</summary>
    public string Decode(IEnumerable<int> ids) => Decode(ids, skipSpecialTokens: true);

    /// <summary>Text of the ids: byte tokens reassembled into UTF-8, '▁' back to spaces, the prepended space removed.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        var sb = new StringBuilder();
        var pending = new List<byte>();
        void Flush()
        {
            if (pending.Count == 0) return;
            sb.Append(Encoding.UTF8.GetString(pending.ToArray()));
            pending.Clear();
        }
        foreach (var id in ids)
        {
            if (skipSpecialTokens && Added.Any(a => a.Id == id && a.Special)) continue;
            if (!_tokens.TryGetValue(id, out var t)) throw new ArgumentOutOfRangeException(nameof(ids), $"id {id} is not in the vocabulary of '{Name}'");
            if (t.Length == 6 && t.StartsWith("<0x") && t[^1] == '>' && Array.IndexOf(_byteIds, id) >= 0) { pending.Add(Convert.ToByte(t[3..5], 16)); continue; }
            Flush();
            sb.Append(t.Replace(Meta, ' '));
        }
        Flush();
        bool prepends = Spaces.PrependNormalizer || Spaces.MetaspacePrepend != "never";
        return prepends && sb.Length > 0 && sb[0] == ' ' ? sb.ToString(1, sb.Length - 1) : sb.ToString();
    }

    /// <summary>Writes the tokenizer.json and tokenizer_config.json it was read from.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, ModelTokenizer.TokenizerJsonFile), _json);
        AtomicFile.WriteAllText(Path.Combine(directory, ModelTokenizer.ConfigFile), _configJson);
    }
}
