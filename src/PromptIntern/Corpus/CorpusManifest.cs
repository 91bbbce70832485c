using System.Reflection;
using System.Text.Json.Serialization;
using PromptIntern.Provenance;

namespace PromptIntern.Corpus;

/// <summary>One document of the pretraining corpus: where it came from and under what license.</summary>
public sealed record CorpusDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("license")] string License,
    [property: JsonPropertyName("text")] string Text);

/// <summary>The record written beside a corpus: every source with its files, bytes and licenses, plus how it was built.</summary>
public sealed record CorpusManifest(
    [property: JsonPropertyName("tool")] string Tool,
    [property: JsonPropertyName("tool_version")] string ToolVersion,
    [property: JsonPropertyName("provenance")] RunProvenance Provenance,
    [property: JsonPropertyName("options")] CorpusManifestOptions Options,
    [property: JsonPropertyName("documents")] int Documents,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("sources")] IReadOnlyList<CorpusSource> Sources)
{
    /// <summary>The kit's informational version (with the commit it was built from).</summary>
    public static string KitVersion =>
        typeof(CorpusManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}

public sealed record CorpusManifestOptions(
    [property: JsonPropertyName("max_bytes")] long MaxBytes,
    [property: JsonPropertyName("man_page_share")] double ManPageShare,
    [property: JsonPropertyName("max_package_share")] double MaxPackageShare,
    [property: JsonPropertyName("require_known_license")] bool RequireKnownLicense,
    [property: JsonPropertyName("max_document_bytes")] int MaxDocumentBytes,
    [property: JsonPropertyName("min_document_chars")] int MinDocumentChars,
    [property: JsonPropertyName("man_sections")] IReadOnlyList<string> ManSections,
    [property: JsonPropertyName("seed")] int Seed);

/// <summary>One source: files found and used, bytes used, and its licenses. For man pages, per package.</summary>
public sealed record CorpusSource(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("path")] string? Path,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("files_found")] int FilesFound,
    [property: JsonPropertyName("documents")] int Documents,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("license")] string License,
    [property: JsonPropertyName("license_note")] string? LicenseNote,
    [property: JsonPropertyName("packages")] IReadOnlyList<CorpusPackage>? Packages);

/// <summary>A Debian package that contributed documents: how many, how many bytes, and its declared licenses.</summary>
public sealed record CorpusPackage(
    [property: JsonPropertyName("package")] string Package,
    [property: JsonPropertyName("documents")] int Documents,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("license")] string License,
    [property: JsonPropertyName("declared_licenses")] IReadOnlyList<string> DeclaredLicenses);
