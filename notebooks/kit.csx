// Loads the PromptIntern kit into a notebook: the first code cell of every notebook is `#load "kit.csx"`.
// Paths are relative to notebooks/, the kernel's working directory both in VS Code (Polyglot starts the kernel in
// the notebook's folder) and in `promptintern notebooks run`. Build the kit first: `./promptintern --help` or
// `dotnet build PromptIntern.sln -c Release`; src/PromptIntern.Cli/bin/Release/net10.0 then holds PromptIntern.dll and
// every dependency beside it, so #r of the dll resolves them.
#r "../src/PromptIntern.Cli/bin/Release/net10.0/PromptIntern.dll"
#r "../src/PromptIntern.Cli/bin/Release/net10.0/PromptIntern.Figures.dll"
#r "../src/PromptIntern.Cli/bin/Release/net10.0/Deedle.dll"
#r "../src/PromptIntern.Cli/bin/Release/net10.0/Plotly.NET.dll"
#r "../src/PromptIntern.Cli/bin/Release/net10.0/Plotly.NET.CSharp.dll"
#r "../src/PromptIntern.Cli/bin/Release/net10.0/TorchSharp.dll"

// A host that ships TorchSharp itself (`promptintern notebooks run`, the tests) already resolves its natives from its
// deps.json; loading a second libtorch there would crash. A host without it (VS Code's kernel) makes TorchSharp look
// beside TorchSharp.dll and then copy an unpatched library from the NuGet cache, so load the build's copy (patched
// for Debian 12's libstdc++, see environment.md) first.
if (System.IO.Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location) != System.IO.Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory))
    System.Runtime.InteropServices.NativeLibrary.Load(System.IO.Path.GetFullPath(
        "../src/PromptIntern.Cli/bin/Release/net10.0/runtimes/linux-x64/native/libLibTorchSharp.so"));

// quick (CPU-sized runs; the default, also in VS Code) or full (reads GPU results); `promptintern notebooks run --preset` sets it.
var preset = Environment.GetEnvironmentVariable("PROMPTINTERN_PRESET") ?? "quick";

// VS Code's kernel lacks the headless runner's formatters: without this a Deedle frame shows as a tree of its internals
// (about 2 MB for a one-row frame in the saved notebook). FrameHtml shows at most 50 rows, then "… N more rows".
Microsoft.DotNet.Interactive.Formatting.Formatter.Register(typeof(Deedle.Frame<,>),
    (frame, writer) => writer.Write(PromptIntern.Figures.FrameHtml.ToHtml(frame)), "text/html");
