using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PromptIntern.Curriculum;

/// <summary>Remembers compressed templates: the same template is compressed at the same few rates over and over
/// (every stage, every query), and LM-scored compressors are slow. Key: compressor name, rate, SHA-256 of the template.</summary>
public sealed class CachingTemplateCompressor(ITemplateCompressor inner) : ITemplateCompressor
{
    readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);
    int _misses;

    public string Name => inner.Name;
    public int Misses => _misses;
    public int Entries => _cache.Count;

    public static string Key(string compressorName, double rate, string template) =>
        $"{compressorName}|{rate.ToString("R", CultureInfo.InvariantCulture)}|{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(template)))}";

    public string Compress(string template, double rate) =>
        _cache.GetOrAdd(Key(inner.Name, rate, template), _ => { Interlocked.Increment(ref _misses); return inner.Compress(template, rate); });
}
