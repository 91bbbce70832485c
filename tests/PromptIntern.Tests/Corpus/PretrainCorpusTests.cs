using System.IO.Compression;
using System.Text;
using PromptIntern.Corpus;
using Xunit;

namespace PromptIntern.Tests.Corpus;

public class PretrainCorpusTests
{
    const string ManPage = """
        .\" a comment that must not appear
        .TH FROB 1 "2024" "frob 1.0"
        .SH NAME
        frob \- frobnicate files quickly and with great care
        .SH SYNOPSIS
        .B frob
        [\fB\-v\fR] \fIFILE\fR...
        .SH DESCRIPTION
        .B frob
        reads each \fIFILE\fR and frobnicates it \(em in place.
        .TP
        .BR \-v ", " \-\-verbose
        print every file name as it is frobnicated, one per line, to standard output
        """;

    [Fact]
    public void Build_ReadsTrainSplitsOnly_NeverDevOrTest()
    {
        using var tmp = new TempDir();
        var data = MakeData(tmp);
        var (docs, manifest) = PretrainCorpus.Build(new PretrainCorpusOptions { DataDir = data, MinDocumentChars = 1 });

        var all = string.Join("\n", docs.Select(d => d.Text));
        Assert.Contains("TRAIN-MARKER", all);
        Assert.DoesNotContain("DEV-MARKER", all);
        Assert.DoesNotContain("TEST-MARKER", all);
        Assert.Equal(2, docs.Count(d => d.Source == "nl2bash"));
        Assert.Contains(docs, d => d.Text == "### Query:\nlist files TRAIN-MARKER\n### Answer:\nls\n");
        Assert.Contains(manifest.Sources, s => s is { Name: "mbpp", Status: "missing" });
        Assert.Contains(manifest.Sources, s => s is { Name: "man-pages", Status: "missing" });
    }

    [Fact]
    public void Build_MbppDocument_ShowsTheTestAssertsWithTheQuery()
    {
        using var tmp = new TempDir();
        var data = MakeData(tmp);
        Directory.CreateDirectory(Path.Combine(data, "mbpp"));
        File.WriteAllText(Path.Combine(data, "mbpp", "train.jsonl"),
            """{"id": "mbpp-1", "query": "Write a function to add.", "answer": "def add(a, b):\n    return a + b", "tests": ["assert add(1, 2) == 3"]}""" + "\n");
        var (docs, _) = PretrainCorpus.Build(new PretrainCorpusOptions { DataDir = data, MinDocumentChars = 1 });
        var doc = Assert.Single(docs, d => d.Source == "mbpp");
        Assert.Equal("### Query:\nWrite a function to add.\nYour code should pass these tests:\nassert add(1, 2) == 3\n### Answer:\ndef add(a, b):\n    return a + b\n", doc.Text);
        Assert.Equal("CC-BY-4.0", doc.License);
    }

    [Fact]
    public void Build_ManPagesAndPython_ConvertedDedupedAndFiltered()
    {
        using var tmp = new TempDir();
        var data = MakeData(tmp);
        var (man, python) = MakeLocalSources(tmp);
        var (docs, manifest) = PretrainCorpus.Build(new PretrainCorpusOptions
        {
            DataDir = data, ManPageRoot = man, PythonLibRoot = python, RequireKnownLicense = false, MaxPackageShare = 1,
            DpkgInfoDir = tmp.File("no-dpkg"), DocRoot = tmp.File("no-doc"),
        });

        var page = Assert.Single(docs, d => d.Source == "man-pages"); // the .so alias, the symlink and the copy are dropped
        Assert.StartsWith("NAME\nfrob - frobnicate files", page.Text);
        Assert.Contains("frob reads each FILE and frobnicates it — in place.\n", page.Text);
        Assert.Contains("\n-v, --verbose\nprint every file name", page.Text);
        Assert.DoesNotContain("comment", page.Text);
        Assert.DoesNotContain("\\f", page.Text);

        var py = Assert.Single(docs, d => d.Source == "python-stdlib"); // test/ folders are skipped
        Assert.Equal("python/shutil_like.py", py.Id);
        Assert.Equal("PSF-2.0", py.License);
        var pySource = Assert.Single(manifest.Sources, s => s.Name == "python-stdlib");
        Assert.Equal(1, pySource.FilesFound);
    }

    [Fact]
    public void Build_ManPageLicenses_ComeFromTheOwningPackagesCopyrightFile()
    {
        using var tmp = new TempDir();
        var (man, _) = MakeLocalSources(tmp);
        var dpkg = Directory.CreateDirectory(tmp.File("dpkg")).FullName;
        var doc = Directory.CreateDirectory(tmp.File("doc/frobutils")).FullName;
        File.WriteAllText(Path.Combine(dpkg, "frobutils:amd64.list"), Path.Combine(man, "man1", "frob.1.gz") + "\n");
        File.WriteAllText(Path.Combine(doc, "copyright"),
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2024 Someone\nLicense: BSD-3-clause\n\nFiles: debian/*\nLicense: GPL-2+\n");

        var (docs, manifest) = PretrainCorpus.Build(new PretrainCorpusOptions
        {
            DataDir = tmp.File("no-data"), ManPageRoot = man, DpkgInfoDir = dpkg, DocRoot = tmp.File("doc"), MaxPackageShare = 1,
        });
        var page = Assert.Single(docs);
        Assert.Equal("BSD-3-clause", page.License);
        var package = Assert.Single(Assert.Single(manifest.Sources, s => s.Name == "man-pages").Packages!);
        Assert.Equal(("frobutils", 1), (package.Package, package.Documents));
        Assert.Equal(["BSD-3-clause", "GPL-2+"], package.DeclaredLicenses);
    }

    [Fact]
    public void Build_ByteBudget_IsNeverExceeded()
    {
        using var tmp = new TempDir();
        var data = MakeData(tmp, trainRows: 200);
        var (docs, manifest) = PretrainCorpus.Build(new PretrainCorpusOptions { DataDir = data, MaxBytes = 3000, MinDocumentChars = 1 });
        long bytes = docs.Sum(d => (long)Encoding.UTF8.GetByteCount(d.Text));
        Assert.InRange(bytes, 2500, 3000);
        Assert.Equal(bytes, manifest.Bytes);
    }

    [Fact]
    public void Write_Twice_GivesIdenticalCorpusFiles_AndReadsBack()
    {
        using var tmp = new TempDir();
        var data = MakeData(tmp, trainRows: 50);
        var (man, python) = MakeLocalSources(tmp);
        var options = new PretrainCorpusOptions
        {
            DataDir = data, ManPageRoot = man, PythonLibRoot = python, RequireKnownLicense = false, MaxPackageShare = 1,
            DpkgInfoDir = tmp.File("no-dpkg"), MinDocumentChars = 1,
        };
        PretrainCorpus.Write(tmp.File("a"), options);
        PretrainCorpus.Write(tmp.File("b"), options);
        Assert.Equal(File.ReadAllBytes(tmp.File("a/corpus.jsonl")), File.ReadAllBytes(tmp.File("b/corpus.jsonl")));
        var read = PretrainCorpus.ReadDocuments(tmp.File("a")).ToList();
        Assert.Equal(53, read.Count); // 51 nl2bash rows, one man page, one Python file
        Assert.Equal(read.Count, PretrainCorpus.Build(options).Documents.Count);
        Assert.True(File.Exists(tmp.File("a/manifest.json")));
    }

    [Fact]
    public void RoffToPlainText_MdocFlagsAndReferences_AreRendered()
    {
        const string mdoc = ".Dd May 1, 2024\n.Dt FROB 1\n.Sh NAME\n.Nm frob\n.Nd frobnicate\n.Sh SYNOPSIS\n.Nm\n.Op Fl v\n.Ar file\n.Sh SEE ALSO\n.Xr ls 1\n";
        var text = PromptIntern.Corpus.RoffText.ToPlainText(mdoc);
        Assert.Contains("NAME\nfrob - frobnicate\n", text);
        Assert.Contains("SYNOPSIS\nfrob [-v] file\n", text);
        Assert.Contains("ls(1)", text);
    }

    static string MakeData(TempDir tmp, int trainRows = 1)
    {
        var dir = Directory.CreateDirectory(tmp.File("data/nl2bash")).FullName;
        var train = new List<string> { """{"id": "t0", "query": "list files TRAIN-MARKER", "answer": "ls"}""" };
        for (int i = 1; i <= trainRows; i++) train.Add($$"""{"id": "t{{i}}", "query": "count lines in file {{i}}", "answer": "wc -l f{{i}}.txt"}""");
        File.WriteAllLines(Path.Combine(dir, "train.jsonl"), train);
        File.WriteAllText(Path.Combine(dir, "dev.jsonl"), """{"id": "d0", "query": "DEV-MARKER", "answer": "pwd"}""" + "\n");
        File.WriteAllText(Path.Combine(dir, "test.jsonl"), """{"id": "x0", "query": "TEST-MARKER", "answer": "pwd"}""" + "\n");
        return tmp.File("data");
    }

    static (string Man, string Python) MakeLocalSources(TempDir tmp)
    {
        var man1 = Directory.CreateDirectory(tmp.File("man/man1")).FullName;
        Gzip(Path.Combine(man1, "frob.1.gz"), ManPage);
        Gzip(Path.Combine(man1, "frobcopy.1.gz"), ManPage);              // same text: deduplicated
        Gzip(Path.Combine(man1, "unfrob.1.gz"), ".so man1/frob.1\n");    // alias page
        File.CreateSymbolicLink(Path.Combine(man1, "frob-link.1.gz"), Path.Combine(man1, "frob.1.gz"));
        Directory.CreateDirectory(tmp.File("man/man3"));
        Gzip(tmp.File("man/man3/frob.3.gz"), ManPage.Replace("frob", "libfrob")); // section 3 is not read by default

        var py = Directory.CreateDirectory(tmp.File("python3.11")).FullName;
        File.WriteAllText(Path.Combine(py, "shutil_like.py"), "\"\"\"Copy files.\"\"\"\n\n\ndef copy(src, dst):\n    with open(src, 'rb') as f, open(dst, 'wb') as g:\n        g.write(f.read())\n" + new string('#', 200) + "\n");
        Directory.CreateDirectory(Path.Combine(py, "test"));
        File.WriteAllText(Path.Combine(py, "test", "test_shutil.py"), "import unittest\n" + new string('#', 300) + "\n");
        return (tmp.File("man"), py);
    }

    static void Gzip(string path, string text)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(Encoding.UTF8.GetBytes(text));
    }
}
