using PromptIntern.Corpus;
using Xunit;

namespace PromptIntern.Tests.Corpus;

public class PackageSourcesTests
{
    [Fact]
    public void Build_WithPackageRoots_AddsScriptsAndModules_CreditedToTheirPackagesLicense()
    {
        using var tmp = new TempDir();
        string Write(string rel, string text)
        {
            var path = Path.Combine(tmp.Path, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            return path;
        }
        var body = string.Concat(Enumerable.Repeat("# a comment line long enough to pass the minimum document length\n", 5));
        var module = Write("usr/lib/python3/dist-packages/tool/core.py", "def main():\n    return 1\n" + body);
        var script = Write("usr/bin/tool-run", "#!/bin/sh\nexec tool \"$@\"\n" + body);
        var binary = Write("usr/bin/tool-data", "not a script\n" + body);
        var orphan = Write("usr/lib/python3/dist-packages/orphan.py", "x = 1\n" + body);
        var unlicensed = Write("usr/bin/mystery.sh", "echo hi\n" + body);
        Write("var/lib/dpkg/info/tool.list", string.Join("\n", module, script, binary) + "\n");
        Write("var/lib/dpkg/info/mystery.list", unlicensed + "\n");
        Write("usr/share/doc/tool/copyright", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2024 Someone\nLicense: MIT\n");

        var options = new PretrainCorpusOptions
        {
            DataDir = Path.Combine(tmp.Path, "no-data"), DpkgInfoDir = Path.Combine(tmp.Path, "var/lib/dpkg/info"), DocRoot = Path.Combine(tmp.Path, "usr/share/doc"),
            PackageSourceRoots = [Path.Combine(tmp.Path, "usr/lib/python3/dist-packages"), Path.Combine(tmp.Path, "usr/bin")],
            MaxPackageShare = 1,
        };
        var (docs, manifest) = PretrainCorpus.Build(options);

        Assert.Equal(new[] { "pkg" + module, "pkg" + script }.Order(StringComparer.Ordinal), docs.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.All(docs, d => Assert.Equal(("debian-package-sources", "MIT"), (d.Source, d.License)));
        var source = manifest.Sources.Single(s => s.Name == "debian-package-sources");
        Assert.Equal("tool", Assert.Single(source.Packages!).Package);
        Assert.Equal(2, source.Documents);
    }

    [Fact]
    public void Build_WithoutPackageRoots_HasNoPackageSource()
    {
        using var tmp = new TempDir();
        var (_, manifest) = PretrainCorpus.Build(new PretrainCorpusOptions { DataDir = tmp.Path });
        Assert.DoesNotContain(manifest.Sources, s => s.Name == "debian-package-sources");
    }
}
