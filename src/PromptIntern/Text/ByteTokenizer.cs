using System.Text;
using System.Text.Json;
using PromptIntern.Data;

namespace PromptIntern.Text;

/// <summary>UTF-8 byte-level tokenizer (256 byte ids + BOS, EOS, PAD): needs no training, so tests and smoke runs can use it.</summary>
public sealed class ByteTokenizer : ITokenizer
{
    public const string FileName = "byte_tokenizer.json";

    public int VocabSize => 259;
    public int BosId => 256;
    public int EosId => 257;
    public int PadId => 258;

    public int[] Encode(string text) => Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    /// <summary>Special ids are dropped; invalid UTF-8 (e.g. a cut multi-byte char) decodes to U+FFFD.</summary>
    public string Decode(IEnumerable<int> ids) => Encoding.UTF8.GetString(ids.Where(i => i is >= 0 and < 256).Select(i => (byte)i).ToArray());

    public void Save(string directory) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(new { type = "byte", vocab_size = VocabSize, bos = BosId, eos = EosId, pad = PadId }));
}
