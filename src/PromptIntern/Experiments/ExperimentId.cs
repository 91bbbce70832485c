using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PromptIntern.Experiments;

/// <summary>Stable experiment identifiers: a readable slug plus a short hash of the full config, so that changing
/// any setting gives a new results folder and re-running the same config finds the old one.</summary>
public static class ExperimentId
{
    public static string For(string preset, string task, string method, string model, int seed, object config)
    {
        var json = JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = false });
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..8].ToLowerInvariant();
        return $"{Slug(preset)}-{Slug(task)}-{Slug(method)}-{Slug(model)}-s{seed}-{hash}";
    }

    static string Slug(string s) =>
        new string(s.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '-').ToArray()).Trim('-');
}
