namespace PromptIntern.Text;

/// <summary>GPT-2's byte-to-character table: every byte gets a printable character, so byte-level BPE tokens
/// can be stored in vocab.json / merges.txt as ordinary strings (space becomes 'Ġ', newline 'Ċ').</summary>
public static class ByteLevelAlphabet
{
    static readonly char[] ByteToChar = Build();
    static readonly Dictionary<char, byte> CharToByte = ByteToChar.Select((c, b) => (c, b)).ToDictionary(t => t.c, t => (byte)t.b);

    /// <summary>The character that stands for <paramref name="b"/>.</summary>
    public static char Char(byte b) => ByteToChar[b];

    /// <summary>The byte a byte-level character stands for; false for characters outside the alphabet.</summary>
    public static bool TryByte(char c, out byte b) => CharToByte.TryGetValue(c, out b);

    /// <summary>Maps raw bytes to their byte-level string.</summary>
    public static string ToToken(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>Maps a byte-level string back to bytes; throws on a character outside the alphabet.</summary>
    public static byte[] ToBytes(string token)
    {
        var bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
            bytes[i] = CharToByte.TryGetValue(token[i], out var b)
                ? b : throw new ArgumentException($"'{token}' is not a byte-level token: U+{(int)token[i]:X4} is outside the byte alphabet");
        return bytes;
    }

    // Printable Latin-1 bytes map to themselves; the other 68 bytes map to U+0100 onwards, in byte order (as GPT-2 does).
    static char[] Build()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }
}
