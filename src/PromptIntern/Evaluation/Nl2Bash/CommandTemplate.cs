using System.Text;

namespace PromptIntern.Evaluation.Nl2Bash;

/// <summary>A command's structure with its arguments abstracted: utilities and flags kept, every other word becomes
/// <c>ARG</c>, operators kept (e.g. <c>find . -name "*.txt" | xargs grep foo</c> → <c>find ARG -name ARG | xargs grep ARG</c>).
/// Ours, a light version of NL2Bash's template accuracy (which abstracts arguments by semantic type with bashlex).</summary>
public static class CommandTemplate
{
    // Words after which the next plain word names a utility again.
    static readonly HashSet<string> CommandPrefixes = ["xargs", "sudo", "nohup", "time", "exec", "nice", "watch", "-exec", "-execdir", "-ok", "-okdir"];
    static readonly HashSet<string> Operators = ["|", "||", "&&", ";", "&", "(", ")", "$(", "`", "{", "}", "|&"];
    static readonly HashSet<string> Redirections = [">", ">>", "<", "<<", "<<<", "2>", "2>>", "&>", "&>>", ">&", "2>&1", "1>&2", "<("];

    public static string Of(string command)
    {
        var output = new List<string>();
        bool expectUtility = true, afterPrefix = false, afterRedirect = false;
        foreach (var (word, isOperator) in Lex(command))
        {
            if (isOperator)
            {
                output.Add(word);
                bool redirect = Redirections.Contains(word);
                afterRedirect = redirect && word is not ("2>&1" or "1>&2");
                if (!redirect) { expectUtility = true; afterPrefix = false; }
                continue;
            }
            if (afterRedirect) { output.Add("ARG"); afterRedirect = false; continue; }
            bool isFlag = word.Length > 1 && word[0] == '-';
            bool looksLikeUtility = !isFlag && word.Length > 0 && word.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or '[')
                                    && !double.TryParse(word, out _) && word != "{}";
            if (isFlag)
            {
                int eq = word.IndexOf('=');
                output.Add(eq > 0 ? word[..(eq + 1)] + "ARG" : word);
                if (CommandPrefixes.Contains(word)) { expectUtility = true; afterPrefix = true; }
                continue;
            }
            if ((expectUtility || afterPrefix) && looksLikeUtility && !word.Contains('='))
            {
                output.Add(word);
                expectUtility = false;
                afterPrefix = CommandPrefixes.Contains(word);
                continue;
            }
            if (expectUtility && word.Contains('=') && !word.StartsWith('=')) { output.Add(word[..(word.IndexOf('=') + 1)] + "ARG"); continue; } // VAR=value prefix
            output.Add("ARG");
            if (!afterPrefix) expectUtility = false;
        }
        return string.Join(' ', output);
    }

    /// <summary>Shell words (quotes and backslash escapes honoured, so a quoted string is one word) and operators.</summary>
    static IEnumerable<(string Text, bool IsOperator)> Lex(string s)
    {
        var word = new StringBuilder();
        bool inWord = false;
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) { yield return (word.ToString(), false); word.Clear(); inWord = false; }
                i++;
                continue;
            }
            var op = MatchOperator(s, i, inWord);
            if (op != null)
            {
                if (inWord) { yield return (word.ToString(), false); word.Clear(); inWord = false; }
                yield return (op, true);
                i += op.Length;
                continue;
            }
            inWord = true;
            if (c is '\'' or '"')
            {
                int end = s.IndexOf(c, i + 1);
                if (end < 0) end = s.Length - 1;
                word.Append(s, i, end - i + 1);
                i = end + 1;
            }
            else if (c == '\\' && i + 1 < s.Length) { word.Append(s, i, 2); i += 2; }
            else { word.Append(c); i++; }
        }
        if (inWord) yield return (word.ToString(), false);
    }

    static string? MatchOperator(string s, int i, bool inWord)
    {
        string[] candidates = ["2>&1", "1>&2", "&>>", "<<<", "2>>", "$(", "<(", "&&", "||", "|&", ">>", "<<", "&>", ">&", "2>", "|", ";", "&", ">", "<", "(", ")", "`"];
        foreach (var op in candidates)
        {
            if (string.CompareOrdinal(s, i, op, 0, op.Length) != 0) continue;
            if (op[0] == '2' && (inWord || (i > 0 && !char.IsWhiteSpace(s[i - 1])))) continue; // "file2>x" is a word then ">"
            if (op is "(" && inWord) continue;
            return op;
        }
        if (!inWord && (s[i] is '{' or '}') && (i + 1 == s.Length || char.IsWhiteSpace(s[i + 1]) || s[i + 1] == ';')
            && !(s[i] == '{' && i + 1 < s.Length && s[i + 1] == '}'))
            return s[i].ToString();
        return null;
    }
}
