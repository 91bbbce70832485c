using System.Text;

namespace PromptIntern.Data;

/// <summary>The lines of a JSONL file, read as strict UTF-8: a byte sequence that is not UTF-8 is an error naming the
/// line (a lenient reader would replace it with U+FFFD and score or train on text the file does not hold); a line
/// longer than <see cref="JsonlDataset.MaxRowBytes"/> is refused before it is tokenized.</summary>
public static class JsonlLines
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>(1-based line number, text) for every line of <paramref name="path"/>; a UTF-8 byte-order mark and CRLF line
    /// ends are accepted. Each line is decoded on its own, so an error names the line that holds the bad bytes.</summary>
    public static IEnumerable<(int LineNo, string Text)> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0, lineNo = 0;
        while (start < bytes.Length)
        {
            lineNo++;
            int newline = Array.IndexOf(bytes, (byte)'\n', start);
            int end = newline < 0 ? bytes.Length : newline;
            if (end - start > JsonlDataset.MaxRowBytes)
                throw new DataFormatException(path, lineNo, "(row)", $"row is {end - start:N0} bytes long; a row may hold at most {JsonlDataset.MaxRowBytes:N0}");
            string line;
            try { line = Strict.GetString(bytes, start, end - start).TrimEnd('\r'); }
            catch (DecoderFallbackException) { throw new DataFormatException(path, lineNo, "(encoding)", "invalid UTF-8: the file must be UTF-8 text"); }
            yield return (lineNo, line);
            start = end + 1;
        }
    }
}
