using System.CommandLine;
using PromptIntern.Data;
using PromptIntern.Provenance;
using PromptIntern.Modeling;
using PromptIntern.Text;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary><c>promptintern model info|merge|parity</c>: Hugging Face checkpoints — what one is and what the kit does with it,
/// LoRA merged into a checkpoint, parity with transformers on the committed fixtures, and one large checkpoint in bf16 against a reference.</summary>
public sealed class ModelVerb : IVerb
{
    public Command Build()
    {
        var cmd = new Command("model", "Inspect Hugging Face checkpoints, merge LoRA adapters, check parity with transformers");
        cmd.Subcommands.Add(Info());
        cmd.Subcommands.Add(Merge());
        cmd.Subcommands.Add(Parity());
        cmd.Subcommands.Add(Compare());
        return cmd;
    }

    static Command Info()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint folder (config.json, safetensors, tokenizer.json)", Required = true };
        var c = new Command("info", "Family, parameters, dtype, context, tokenizer kind and what the kit supports for a checkpoint");
        c.Options.Add(model);
        c.SetAction(p =>
        {
            var dir = p.GetValue(model)!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"--model: no such folder: {dir}");
            var config = LlamaConfig.Load(Path.Combine(dir, HfCheckpoint.ConfigFile));
            var files = HfCheckpoint.WeightFiles(dir);
            var dtypes = files.SelectMany(f => Safetensors.ReadHeader(f).Entries.Select(e => e.DType.ToString())).Distinct().Order();
            string tokenizer;
            try { tokenizer = TokenizerFiles.Load(dir) is IHfTokenizer hf ? hf.Kind : "kit tokenizer"; }
            catch (FileNotFoundException) { tokenizer = "none in the folder"; }
            var windows = Enumerable.Range(0, config.NumLayers).Select(config.WindowOf).Distinct().ToList();
            var rope = $"θ = {config.RopeTheta:G}" + (config.RopeScaling is { } s ? $", {s.Type} scaling ×{s.Factor}" : "");
            var t = new Table().AddColumns("", "");
            void Row(string k, string v) => t.AddRow(Markup.Escape(k), Markup.Escape(v));
            Row("family", $"{config.ModelType} ({string.Join(", ", config.Architectures)})");
            Row("parameters", $"{config.ParameterCount():N0}");
            Row("shape", $"{config.NumLayers} layers, hidden {config.HiddenSize}, {config.NumHeads} heads / {config.NumKvHeads} kv heads × {config.HeadDim}, MLP {config.IntermediateSize}"
                + (config.IsMoe ? $", {config.NumExperts} experts (top-{config.ExpertsPerToken})" : ""));
            Row("weights", $"{string.Join(", ", dtypes)} in {files.Count} file(s); config says {config.TorchDtype}");
            Row("context", $"{config.MaxSeqLen} positions, RoPE {rope}" + (windows is [null] ? "" : $", sliding window {string.Join("/", windows.Select(w => w?.ToString() ?? "full"))}"));
            Row("vocabulary", $"{config.VocabSize}, embeddings {(config.TieEmbeddings ? "tied" : "untied")}");
            Row("tokenizer", tokenizer);
            Row("LoRA targets", string.Join(", ", LoraConfig.TargetsFor(config)));
            Row("kit support", "load, generate (KV cache), score, LoRA fine-tune, save adapter (PEFT) / merged checkpoint");
            CliConsole.Out.Write(t);
            return 0;
        });
        return c;
    }

    static Command Merge()
    {
        var model = new Option<string>("--model") { Description = "Base checkpoint folder", Required = true };
        var adapter = new Option<string>("--adapter") { Description = "LoRA adapter folder (adapter_config.json + adapter_model.safetensors, the kit's or PEFT's)", Required = true };
        var outDir = new Option<string>("--out") { Description = "Folder for the merged checkpoint (config.json, model.safetensors, tokenizer)", Required = true };
        var dtype = new Option<string>("--dtype") { Description = "float32, bfloat16 or float16 (default: the base weights' dtype)" };
        var c = new Command("merge", "Fold a LoRA adapter into its base model and write a Hugging Face checkpoint");
        foreach (var o in new Option[] { model, adapter, outDir, dtype }) c.Options.Add(o);
        c.SetAction(p =>
        {
            var target = p.GetValue(dtype) is { } d ? ParseDtype(d, "--dtype") : (TorchSharp.torch.ScalarType?)null;
            var baseDir = p.GetValue(model)!;
            using var lm = CausalLanguageModel.Load(baseDir);
            var lora = LoraAdapter.Load(lm.Model, p.GetValue(adapter)!);
            lora.Merge();
            var stored = target ?? Safetensors.ReadHeader(HfCheckpoint.WeightFiles(baseDir)[0]).Entries[0].DType;
            var dir = p.GetValue(outDir)!;
            HfCheckpoint.Save(lm.Model, dir, stored);
            // The base's config.json as it was (fields the kit does not model, such as pad_token_id, stay), with the new dtype.
            var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(baseDir, HfCheckpoint.ConfigFile)))!;
            var dtypeName = HfCheckpoint.DtypeName(stored);
            config["torch_dtype"] = dtypeName;
            if (config["dtype"] is not null) config["dtype"] = dtypeName;
            AtomicFile.WriteAllText(Path.Combine(dir, HfCheckpoint.ConfigFile), config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            lm.Tokenizer.Save(dir);
            CliConsole.Out.MarkupLineInterpolated($"merged {lora.TargetNames.Count} adapted layers into {dir} ({stored})");
            return 0;
        });
        return c;
    }

    static Command Parity()
    {
        var fixtures = new Option<string>("--fixtures") { Description = "Parity fixtures written by scripts/gpu/parity-fixtures.sh", DefaultValueFactory = _ => Path.Combine(KitPaths.Root, "tests", "fixtures", "hf-parity") };
        var outDir = new Option<string>("--out") { Description = "Folder for parity.json and parity.md", DefaultValueFactory = _ => Path.Combine(KitPaths.Results, "parity") };
        var readme = new Option<string?>("--readme") { Description = "README to update between <!-- parity:begin/end --> [default: README.md; 'none' to skip]" };
        var c = new Command("parity", "Compare the kit with transformers, tokenizers and PEFT on the parity fixtures (logits, greedy tokens, token ids, adapters)");
        c.Options.Add(fixtures);
        c.Options.Add(outDir);
        c.Options.Add(readme);
        c.SetAction(p =>
        {
            var dir = p.GetValue(fixtures)!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"--fixtures: no such folder: {dir}");
            var provenance = RunProvenance.Capture(new Dictionary<string, object?> { ["fixtures"] = Path.GetRelativePath(KitPaths.Root, Path.GetFullPath(dir)), ["dtype"] = "float32", ["device"] = "cpu" });
            var report = HfParity.Run(dir);
            var md = HfParity.ToMarkdown(report, provenance);
            var output = p.GetValue(outDir)!;
            Directory.CreateDirectory(output);
            AtomicFile.WriteAllText(Path.Combine(output, "parity.json"), HfParity.ToJson(report, provenance));
            AtomicFile.WriteAllText(Path.Combine(output, "parity.md"), md);
            var readmePath = p.GetValue(readme) ?? Path.Combine(KitPaths.Root, "README.md");
            if (readmePath != "none") Experiments.ReadmeSection.Replace(readmePath, "parity", HfParity.ToReadme(report, provenance, ReferenceLogitCheck.ReadmeLines(output)));
            CliConsole.Out.WriteLine(md);
            CliConsole.Out.MarkupLineInterpolated($"wrote {Path.Combine(output, "parity.json")} and parity.md");
            return 0;
        });
        return c;
    }

    static Command Compare()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint folder (scripts/gpu/parity-7b.py writes a Llama-2-7B-shaped one)", Required = true };
        var reference = new Option<string>("--reference") { Description = "Reference path without extension: .safetensors (input_ids, logits_fp32, logits_bf16) and .json (prompts, greedy tokens)", Required = true };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "cuda" };
        var dtype = new Option<string>("--dtype") { Description = "bfloat16, float16 or float32: the precision the kit loads and runs in", DefaultValueFactory = _ => "bfloat16" };
        var outDir = new Option<string>("--out") { Description = "Folder for <name>.json and <name>.md", DefaultValueFactory = _ => Path.Combine(KitPaths.Results, "parity") };
        var name = new Option<string?>("--name") { Description = "Result file name [default: <model folder>-<dtype>]" };
        var c = new Command("compare", "Compare the kit with transformers on one checkpoint in reduced precision: logits against bf16 and fp32 references, greedy tokens, load time and memory");
        foreach (var o in new Option[] { model, reference, device, dtype, outDir, name }) c.Options.Add(o);
        c.SetAction(p =>
        {
            var dir = p.GetValue(model)!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"--model: no such folder: {dir}");
            var refPath = p.GetValue(reference)!;
            foreach (var ext in new[] { ".safetensors", ".json" })
                if (!File.Exists(refPath + ext)) throw new FileNotFoundException($"--reference: {refPath + ext} does not exist");
            var type = ParseDtype(p.GetValue(dtype)!, "--dtype");
            var dev = Devices.Parse(p.GetValue(device)!);
            var provenance = RunProvenance.Capture(new Dictionary<string, object?> { ["model"] = dir, ["reference"] = refPath, ["device"] = dev.ToString(), ["dtype"] = HfCheckpoint.DtypeName(type) });
            var result = ReferenceLogitCheck.Run(dir, refPath, dev, type);
            var output = p.GetValue(outDir)!;
            var fileName = p.GetValue(name) ?? $"{Path.GetFileName(Path.GetFullPath(dir).TrimEnd('/'))}-{HfCheckpoint.DtypeName(type)}";
            Directory.CreateDirectory(output);
            var md = ReferenceLogitCheck.ToMarkdown(result, provenance);
            AtomicFile.WriteAllText(Path.Combine(output, fileName + ".json"), ReferenceLogitCheck.ToJson(result, provenance));
            AtomicFile.WriteAllText(Path.Combine(output, fileName + ".md"), md);
            CliConsole.Out.WriteLine(md);
            return result.WithinTolerance ? 0 : 1;
        });
        return c;
    }

    static TorchSharp.torch.ScalarType ParseDtype(string name, string option) => name switch
    {
        "float32" => TorchSharp.torch.ScalarType.Float32,
        "bfloat16" => TorchSharp.torch.ScalarType.BFloat16,
        "float16" => TorchSharp.torch.ScalarType.Float16,
        var d => throw new ArgumentException($"{option}: '{d}' is not one of float32, bfloat16, float16"),
    };
}
