using System.Globalization;
using System.Text;

namespace PromptIntern.Compression;

/// <summary>A deletable piece of text: a word, one punctuation mark or symbol, one CJK character, or a run of
/// line breaks, together with the spaces before it. Compressors keep or drop whole units, so they never cut a
/// word, a UTF-8 character, a surrogate pair or an emoji sequence (LLMLingua issues #4, #63).</summary>
public readonly record struct LexicalUnit(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>Splits text into <see cref="LexicalUnit"/>s by grapheme clusters.</summary>
public static class LexicalUnits
{
    enum Kind { Space, Newline, Word, Single }

    /// <summary>Units covering <paramref name="text"/>[start, start+length) exactly, in order.</summary>
    public static List<LexicalUnit> Split(string text, int start = 0, int length = -1)
    {
        if (length < 0) length = text.Length - start;
        var end = start + length;
        var units = new List<LexicalUnit>();
        var i = start;
        while (i < end)
        {
            var s = i;
            while (i < end && Classify(text, i) == Kind.Space) i += Step(text, i, end);
            if (i < end)
            {
                var kind = Classify(text, i);
                if (kind is Kind.Word or Kind.Newline)
                    while (i < end && Classify(text, i) == kind) i += Step(text, i, end);
                else
                    i += Step(text, i, end);
            }
            units.Add(new LexicalUnit(s, i - s));
        }
        return units;
    }

    static int Step(string text, int i, int end) => Math.Max(1, Math.Min(StringInfo.GetNextTextElementLength(text, i), end - i));

    static Kind Classify(string text, int i)
    {
        var c = text[i];
        if (c is '\n' or '\r') return Kind.Newline;
        if (char.IsWhiteSpace(c)) return Kind.Space;
        Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out _); // a lone surrogate decodes as U+FFFD: one unit
        if (IsCjk(rune.Value)) return Kind.Single;
        var cat = Rune.GetUnicodeCategory(rune);
        return cat switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.ConnectorPunctuation => Kind.Word,
            _ => Kind.Single,
        };
    }

    // Scripts written without spaces: one character is one unit, as LLMLingua-2 treats them.
    static bool IsCjk(int cp) => cp is >= 0x3040 and <= 0x30FF or >= 0x3400 and <= 0x4DBF or >= 0x4E00 and <= 0x9FFF
        or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x2FFFF;
}
