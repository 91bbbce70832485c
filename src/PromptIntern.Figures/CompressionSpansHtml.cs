using System.Net;
using System.Text;
using PromptIntern.Compression;

namespace PromptIntern.Figures;

/// <summary>Shows what a compressor kept and dropped: the original prompt with dropped stretches struck through in grey,
/// as a notebook output or a standalone HTML page.</summary>
public static class CompressionSpansHtml
{
    /// <summary>A &lt;div&gt; with kept text plain and dropped text in &lt;del&gt;, preceded by a one-line accounting header.</summary>
    public static string ToHtml(CompressionResult result, int? maxChars = null)
    {
        var sb = new StringBuilder();
        sb.Append("<div class=\"promptintern-compression\"><p><b>").Append(Encode(result.Method)).Append("</b>: ")
          .Append(result.CompressedTokens).Append(" of ").Append(result.OriginTokens).Append(' ').Append(Encode(result.Tokenizer))
          .Append(" tokens kept (rate ").Append(Encode(result.RateText)).Append(", ").Append(Encode(result.RatioText))
          .Append("); <del style=\"color:#999\">struck</del> = dropped</p>")
          .Append("<pre style=\"white-space:pre-wrap;font-size:12px\">");
        int shown = 0;
        foreach (var span in result.Spans)
        {
            if (maxChars is { } max && shown >= max) { sb.Append(" …"); break; }
            var length = maxChars is { } m ? Math.Min(span.Length, m - shown) : span.Length;
            var text = Encode(result.OriginalPrompt.Substring(span.Start, length));
            sb.Append(span.Kept ? text : $"<del style=\"color:#999\">{text}</del>");
            shown += length;
        }
        return sb.Append("</pre></div>").ToString();
    }

    /// <summary>A whole HTML page around <see cref="ToHtml"/>, for results/ exports.</summary>
    public static string ToPage(CompressionResult result, string title) =>
        $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{Encode(title)}</title></head><body>\n<h3>{Encode(title)}</h3>\n{ToHtml(result)}\n</body></html>\n";

    static string Encode(string s) => WebUtility.HtmlEncode(s);
}
