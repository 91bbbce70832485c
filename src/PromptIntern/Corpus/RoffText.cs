using System.Text;
using System.Text.RegularExpressions;

namespace PromptIntern.Corpus;

/// <summary>Turns a man page's roff source (man or mdoc macros) into readable plain text for the pretraining corpus:
/// headings and paragraphs kept, font changes and layout requests dropped, common escapes mapped to characters.
/// Not a typesetter: the aim is text a language model should learn from, not a faithful rendering.</summary>
public static partial class RoffText
{
    public static string ToPlainText(string roff)
    {
        var w = new Writer();
        var lines = roff.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length > 0 && (line[0] == '.' || line[0] == '\''))
            {
                var (name, args) = ParseRequest(line);
                if (name is "de" or "de1" or "am" or "ig")
                {
                    // Macro definitions and ignored blocks run to a line "..".
                    while (i + 1 < lines.Length && lines[i + 1].TrimEnd() != "..") i++;
                    i++;
                    continue;
                }
                Request(w, name, args);
            }
            else if (line.Trim().Length == 0) w.Paragraph();
            else w.Text(Unescape(line));
        }
        w.Break();
        var plain = ManyBlankLines().Replace(TrailingSpaces().Replace(w.Output.ToString(), "\n"), "\n\n");
        return plain.Trim('\n') + "\n";
    }

    // Fill mode joins source lines into paragraphs, as a formatter would; no-fill blocks (.nf, .EX) keep their lines.
    sealed class Writer
    {
        public readonly StringBuilder Output = new();
        readonly StringBuilder _line = new();
        public bool NoFill;
        public bool BreakAfterNext;
        /// <summary>mdoc's .Nm without arguments repeats the name given first.</summary>
        public string? PageName;

        public void Text(string text)
        {
            if (NoFill) { Break(); Output.Append(text).Append('\n'); return; }
            if (text.Length == 0) return;
            if (_line.Length > 0) _line.Append(' ');
            _line.Append(text);
            if (BreakAfterNext) { BreakAfterNext = false; Break(); }
        }

        public void Break()
        {
            if (_line.Length > 0) Output.Append(_line).Append('\n');
            _line.Clear();
        }

        public void Paragraph()
        {
            Break();
            Output.Append('\n');
        }

        public void Heading(string text)
        {
            Paragraph();
            Output.Append(text).Append('\n');
        }
    }

    static void Request(Writer w, string name, List<string> args)
    {
        switch (name)
        {
            case "SH" or "Sh" or "SS" or "Ss":
                w.Heading(Unescape(string.Join(' ', args)));
                break;
            case "PP" or "LP" or "P" or "Pp" or "sp" or "HP":
                w.Paragraph();
                break;
            case "TP" or "TQ":
                w.Paragraph();
                w.BreakAfterNext = true; // the next line is the item's tag
                break;
            case "IP":
                w.Paragraph();
                if (args.Count > 0) { w.Text(Unescape(args[0])); w.Break(); }
                break;
            case "br" or "Bl" or "El" or "Bd" or "Ed" or "RS" or "RE":
                w.Break();
                break;
            case "nf" or "EX":
                w.Break();
                w.NoFill = true;
                break;
            case "fi" or "EE":
                w.NoFill = false;
                break;
            case "B" or "I" or "SM" or "SB" or "R" or "CW":
                if (args.Count > 0) w.Text(Unescape(string.Join(' ', args)));
                break;
            case "BR" or "BI" or "IB" or "IR" or "RB" or "RI":
                w.Text(Unescape(string.Concat(args)));
                break;
            case "UR" or "MT":
                if (args.Count > 0) w.Text(args[0]);
                break;
            case "UE" or "ME":
                if (args.Count > 0) w.Text(Unescape(string.Concat(args)));
                break;
            case "It":
                w.Break();
                w.Text(Mdoc(w, name, args));
                break;
            default:
                if (MdocMacros.Contains(name)) w.Text(Mdoc(w, name, args));
                break; // layout requests, registers, conditionals, index entries: no text worth keeping
        }
    }

    static readonly HashSet<string> MdocMacros =
    [
        "Nm", "Nd", "Fl", "Ar", "Op", "Oo", "Oc", "Xr", "It", "Pp", "Pa", "Ev", "Va", "Cm", "Ic", "Dv", "Er", "Fn", "Fa", "Ft",
        "Fo", "Fc", "Sy", "Em", "Li", "Ql", "Dq", "Sq", "Pq", "Aq", "Ns", "Ta", "Cd", "In", "An", "Lk", "Mt", "Vt", "Dl",
        "D1", "St", "At", "Bx", "Ux", "No", "Tn", "Ad", "Ms", "Ot", "Ex", "Rv", "Qq", "Ql", "Brq", "Bq", "Eo", "Ec",
    ];

    // An mdoc line is a mix of callable macro names and words; render flags as "-x", options in brackets, references as name(n).
    static string Mdoc(Writer w, string name, List<string> args)
    {
        if (name == "Nm" && args.Count > 0) w.PageName ??= Unescape(args[0]);
        if (name == "Nm" && args.Count == 0) return w.PageName ?? "";
        var sb = new StringBuilder();
        int autoClose = 0;
        var tokens = new List<string> { name };
        tokens.AddRange(args);
        bool noSpace = false, flag = false;
        for (int k = 0; k < tokens.Count; k++)
        {
            var t = tokens[k];
            string? word = null;
            switch (t)
            {
                case "Fl": flag = true; if (k + 1 >= tokens.Count || MdocMacros.Contains(tokens[k + 1])) word = "-"; break;
                case "Op": word = "["; autoClose++; break;
                case "Oo": word = "["; break;
                case "Oc": sb.Append(']'); continue;
                case "Ns": noSpace = true; continue;
                case "Xr" when k + 2 < tokens.Count: word = $"{tokens[k + 1]}({tokens[k + 2]})"; k += 2; break;
                case "Dq" or "Qq": word = "\""; break;
                case "Nd": word = "-"; break;
                default:
                    if (MdocMacros.Contains(t)) continue;
                    word = (flag ? "-" : "") + Unescape(t);
                    flag = false;
                    break;
            }
            if (word is null) continue;
            bool punct = word.Length == 1 && ".,;:)]".Contains(word[0]);
            if (sb.Length > 0 && !noSpace && !punct && sb[^1] != '[') sb.Append(' ');
            sb.Append(word);
            noSpace = word == "[";
        }
        sb.Append(']', autoClose);
        return sb.ToString();
    }

    static (string Name, List<string> Args) ParseRequest(string line)
    {
        int p = 1;
        while (p < line.Length && line[p] is ' ' or '\t') p++;
        if (p + 1 < line.Length && line[p] == '\\' && line[p + 1] == '"') return ("\\\"", []);
        int start = p;
        while (p < line.Length && line[p] is not (' ' or '\t')) p++;
        var name = line[start..p];
        var args = new List<string>();
        while (p < line.Length)
        {
            while (p < line.Length && line[p] is ' ' or '\t') p++;
            if (p >= line.Length) break;
            if (line[p] == '\\' && p + 1 < line.Length && line[p + 1] == '"') break; // comment
            var arg = new StringBuilder();
            if (line[p] == '"')
            {
                p++;
                while (p < line.Length)
                {
                    if (line[p] == '"') { if (p + 1 < line.Length && line[p + 1] == '"') { arg.Append('"'); p += 2; continue; } p++; break; }
                    arg.Append(line[p++]);
                }
            }
            else
                while (p < line.Length && line[p] is not (' ' or '\t')) arg.Append(line[p++]);
            args.Add(arg.ToString());
        }
        return (name, args);
    }

    static readonly Dictionary<string, string> Glyphs = new()
    {
        ["em"] = "—", ["en"] = "–", ["hy"] = "-", ["bu"] = "•", ["aq"] = "'", ["dq"] = "\"", ["lq"] = "“", ["rq"] = "”",
        ["oq"] = "‘", ["cq"] = "’", ["co"] = "©", ["rg"] = "®", ["tm"] = "™", ["mu"] = "×", ["de"] = "°", ["+-"] = "±",
        ["<="] = "≤", [">="] = "≥", ["!="] = "≠", ["->"] = "→", ["<-"] = "←", ["ti"] = "~", ["ha"] = "^", ["rs"] = "\\",
        ["sl"] = "/", ["ga"] = "`", ["aa"] = "´", ["ba"] = "|", ["or"] = "|", ["br"] = "│", ["ul"] = "_", ["pl"] = "+",
        ["mi"] = "-", ["eq"] = "=", ["lB"] = "[", ["rB"] = "]", ["lC"] = "{", ["rC"] = "}", ["la"] = "⟨", ["ra"] = "⟩",
        ["Fo"] = "«", ["Fc"] = "»", ["ss"] = "ß", ["'e"] = "é", ["`e"] = "è", ["'a"] = "á", [":u"] = "ü", [":o"] = "ö",
        [":a"] = "ä", ["fo"] = "‹", ["fc"] = "›", ["sc"] = "§", ["ps"] = "¶", ["Eu"] = "€", ["Po"] = "£", ["ct"] = "¢",
        ["R"] = "®", ["Tm"] = "™", ["tm"] = "™", ["Lq"] = "“", ["Rq"] = "”",
    };

    /// <summary>Replaces roff escapes in a text line by the characters they stand for, or drops them.</summary>
    public static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c != '\\' || i + 1 >= s.Length) { if (c != '\\') sb.Append(c); continue; }
            char e = s[++i];
            switch (e)
            {
                case '"': return sb.ToString(); // comment to end of line
                case 'e' or '\\': sb.Append('\\'); break;
                case '-': sb.Append('-'); break;
                case ' ' or '~' or '0': sb.Append(' '); break;
                case 't': sb.Append('\t'); break;
                case '.' or '\'' or '`': sb.Append(e); break;
                case '&' or '|' or '^' or '%' or ':' or ')' or ',' or '/' or '{' or '}' or '!' or '#' or 'c' or 'E' or 'z' or 'd' or 'u' or 'r' or 'p' or 'a': break;
                case 'f' or 's' or 'n' or 'F' or 'm' or 'M' or 'k' or 'g' or 'Y' or '$':
                    i = SkipName(s, i + 1, allowSign: e == 's') - 1;
                    break;
                case '(':
                    if (i + 2 < s.Length) { sb.Append(Glyphs.GetValueOrDefault(s.Substring(i + 1, 2), "")); i += 2; }
                    break;
                case '[':
                {
                    int close = s.IndexOf(']', i + 1);
                    if (close < 0) { i = s.Length; break; }
                    sb.Append(Glyph(s[(i + 1)..close]));
                    i = close;
                    break;
                }
                case '*':
                {
                    int end = SkipName(s, i + 1, allowSign: false);
                    var nameRaw = s[(i + 1)..end];
                    var key = nameRaw.StartsWith('(') ? nameRaw[1..] : nameRaw.Trim('[', ']');
                    sb.Append(Glyphs.GetValueOrDefault(key, ""));
                    i = end - 1;
                    break;
                }
                case 'h' or 'v' or 'w' or 'l' or 'L' or 'D' or 'o' or 'Z' or 'X' or 'b' or 'N' or 'x' or 'S' or 'H' or 'R' or 'A' or 'B' or 'C' or 'V':
                    if (i + 1 < s.Length)
                    {
                        char delim = s[i + 1];
                        int close = s.IndexOf(delim, i + 2);
                        i = close < 0 ? s.Length : close;
                    }
                    break;
                default: sb.Append(e); break;
            }
        }
        return sb.ToString();
    }

    static string Glyph(string name) =>
        Glyphs.TryGetValue(name, out var g) ? g
        : name.Length == 5 && name[0] == 'u' && int.TryParse(name.AsSpan(1), System.Globalization.NumberStyles.HexNumber, null, out int cp) && cp is < 0xD800 or > 0xDFFF
            ? char.ConvertFromUtf32(cp) : "";

    // After an escape like \f or \s: a one-char name, "(xx", or "[name]"; returns the index after it.
    static int SkipName(string s, int i, bool allowSign)
    {
        if (i >= s.Length) return i;
        if (allowSign && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= s.Length) return i;
        if (s[i] == '(') return Math.Min(s.Length, i + 3);
        if (s[i] == '[') { int close = s.IndexOf(']', i); return close < 0 ? s.Length : close + 1; }
        if (allowSign) { while (i < s.Length && char.IsDigit(s[i])) i++; return i; }
        return i + 1;
    }

    [GeneratedRegex(@"[ \t]+\n")]
    private static partial Regex TrailingSpaces();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ManyBlankLines();
}
