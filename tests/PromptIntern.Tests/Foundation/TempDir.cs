namespace PromptIntern.Tests.Foundation;

/// <summary>A fresh temp folder per test for the tiny files it writes; deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pi-foundation-").FullName;

    public string Write(string name, string text)
    {
        var p = System.IO.Path.Combine(Path, name);
        File.WriteAllText(p, text);
        return p;
    }

    public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
}
