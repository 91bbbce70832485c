using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PromptIntern.Experiments;

/// <summary>Stable experiment identifiers: a readable slug plus a short hash of the full config, so that changing
/// any setting gives a new results folder and re-running the same config finds the old one.</summary>
public static class ExperimentId
{
    public static string For(string preset, string task, string method, string model, int seed, object config) =>
        $"{Slug(preset)}-{Slug(task)}-{Slug(method)}-{Slug(model)}-s{seed}-{Hash(config)}";

    /// <summary>The first 8 hex digits of the SHA-256 of <paramref name="config"/> as compact JSON.</summary>
    public static string Hash(object config)
    {
        var json = JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = false });
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..8].ToLowerInvariant();
    }

    static string Slug(string s) =>
        new string(s.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '-').ToArray()).Trim('-');
}
