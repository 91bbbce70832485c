using TorchSharp;
using PromptIntern.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>
/// LoRA attached to a model's linear layers by name, without the model knowing (as PEFT/litgpt do):
/// each target gets lora_A, lora_B and a forward hook adding scaling·B(A(dropout(x))). Only adapter weights train.
/// A target that is part of a fused projection (q_proj in qkv_proj, see <see cref="FusedProjections"/>) adds its update
/// to its rows of the fused output; its adapter modules sit beside the fused one under the target's own name, so
/// parameter names stay PEFT's (…self_attn.q_proj.lora_A.weight) either way.
/// </summary>
public sealed class LoraAdapter
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";

    sealed record Target(string Name, Linear Base, long Offset, long Rows, Linear A, Linear B, Dropout Drop);

    /// <summary>Holds one fused-part target's adapter modules, registered on the fused module's parent under the target's name.</summary>
    sealed class PartAdapter : nn.Module
    {
#pragma warning disable IDE1006 // PEFT parameter names
        readonly Linear lora_A, lora_B;
        readonly Dropout lora_dropout;
#pragma warning restore IDE1006
        public PartAdapter(Linear a, Linear b, Dropout drop) : base(nameof(PartAdapter))
        {
            (lora_A, lora_B, lora_dropout) = (a, b, drop);
            RegisterComponents();
        }
    }

    readonly List<Target> _targets = [];
    public LoraConfig Config { get; }
    public bool Merged { get; private set; }
    public IReadOnlyList<string> TargetNames => _targets.Select(t => t.Name).ToList();

    LoraAdapter(LoraConfig config) => Config = config;

    public static bool IsAdapterName(string parameterName) => parameterName.Contains(".lora_A.") || parameterName.Contains(".lora_B.");

    /// <summary>Whether a module name is one of an adapter's own modules (lora_A, lora_B).</summary>
    public static bool IsAdapterModule(string moduleName) => moduleName.EndsWith(".lora_A") || moduleName.EndsWith(".lora_B");

    /// <summary>Adds adapters to every targeted linear layer and freezes all other parameters. B starts at zero, so the model's output is unchanged.</summary>
    public static LoraAdapter Attach(LlamaModel model, LoraConfig config, long seed = 1337)
    {
        config.Validate();
        var adapter = new LoraAdapter(config);
        var gen = new Generator((ulong)seed);
        foreach (var p in model.parameters()) p.requires_grad = false;
        var device = model.Device;
        var dtype = model.DType;
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        foreach (var layer in FusedProjections.LinearLayers(model))
        {
            var (name, lin) = (layer.Name, layer.Module);
            if (!config.Targets(name.Split('.')[^1])) continue;
            if (modules.ContainsKey(name + ".lora_A")) throw new InvalidOperationException($"LoRA is already attached to {name}.");
            var w = lin.weight!;
            var a = nn.Linear(w.shape[1], config.R, hasBias: false, device: device, dtype: dtype);
            var b = nn.Linear(config.R, layer.Rows, hasBias: false, device: device, dtype: dtype);
            using (no_grad())
            {
                var bound = 1.0 / Math.Sqrt(w.shape[1]); // = kaiming_uniform(a=sqrt(5)), PEFT's default for A
                a.weight!.copy_((rand(a.weight!.shape, generator: gen) * 2 - 1) * bound);
                nn.init.zeros_(b.weight!);
            }
            var drop = nn.Dropout(config.Dropout);
            if (layer.IsPart)
            {
                var cut = name.LastIndexOf('.');
                modules[name[..cut]].register_module(name[(cut + 1)..], new PartAdapter(a, b, drop));
            }
            else
            {
                lin.register_module("lora_A", a);
                lin.register_module("lora_B", b);
                lin.register_module("lora_dropout", drop);
            }
            adapter._targets.Add(new Target(name, lin, layer.Offset, layer.Rows, a, b, drop));
            var scaling = config.Scaling;
            if (!layer.IsPart)
                lin.register_forward_hook((_, input, output) => adapter.Merged ? output : output + b.call(a.call(drop.call(input))) * scaling);
            else
            {
                var (offset, rows) = (layer.Offset, layer.Rows);
                // Given to a kernel that reads the fused output (FusedPartUpdates; scaled at rank r, the small side), else
                // added in place on this target's rows (the linear layer's backward does not need its output).
                lin.register_forward_hook((_, input, output) =>
                {
                    if (!adapter.Merged && !FusedPartUpdates.TryGive(lin, offset, rows, () => b.call(a.call(drop.call(input)) * scaling)))
                        output.narrow(-1, offset, rows).add_(b.call(a.call(drop.call(input))) * scaling);
                    return output;
                });
            }
        }
        if (adapter._targets.Count == 0) throw new ArgumentException($"LoRA target_modules [{string.Join(", ", config.TargetModules)}] matched no linear layer.");
        return adapter;
    }

    /// <summary>The adapter parameters (what the optimizer should see).</summary>
    public IEnumerable<Parameter> Parameters() => _targets.SelectMany(t => new[] { t.A.weight!, t.B.weight! });

    /// <summary>Folds ΔW = scaling·B·A into the base weights (faster inference; the hook then adds nothing).</summary>
    public void Merge()
    {
        if (Merged) return;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var t in _targets) t.Base.weight!.narrow(0, t.Offset, t.Rows).add_(Delta(t));
        Merged = true;
    }

    /// <summary>Subtracts ΔW again, restoring the base weights (up to rounding).</summary>
    public void Unmerge()
    {
        if (!Merged) return;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var t in _targets) t.Base.weight!.narrow(0, t.Offset, t.Rows).sub_(Delta(t));
        Merged = false;
    }

    Tensor Delta(Target t) => t.B.weight!.matmul(t.A.weight!).mul(Config.Scaling).to(t.Base.weight!.dtype);

    /// <summary>Adapter tensors under PEFT names (base_model.model.&lt;module&gt;.lora_A.weight).</summary>
    public Dictionary<string, Tensor> StateDict() => _targets
        .SelectMany(t => new[] { ($"base_model.model.{t.Name}.lora_A.weight", (Tensor)t.A.weight!), ($"base_model.model.{t.Name}.lora_B.weight", (Tensor)t.B.weight!) })
        .ToDictionary(x => x.Item1, x => x.Item2);

    /// <summary>Writes a PEFT adapter folder: adapter_config.json + adapter_model.safetensors (only the adapter weights, PEFT names).</summary>
    public void Save(string directory, string? baseModel = null)
    {
        Directory.CreateDirectory(directory);
        Safetensors.Save(Path.Combine(directory, WeightsFile), StateDict(), new Dictionary<string, string> { ["format"] = "pt" });
        // The leaf names actually adapted (not "all-linear"), so PEFT adapts the same layers on any model class.
        var targets = _targets.Select(t => t.Name.Split('.')[^1]).Distinct().Order(StringComparer.Ordinal).ToArray();
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFile), (Config with { BaseModel = baseModel ?? Config.BaseModel, TargetModules = targets }).ToJson());
    }

    /// <summary>Attaches the adapter saved in <paramref name="directory"/> to <paramref name="model"/> (strict: every adapter tensor must match).</summary>
    public static LoraAdapter Load(LlamaModel model, string directory)
    {
        var cfgPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(cfgPath)) throw new FileNotFoundException($"No LoRA adapter config: {cfgPath}", cfgPath);
        var adapter = Attach(model, LoraConfig.FromJson(File.ReadAllText(cfgPath), cfgPath));
        var file = Path.Combine(directory, WeightsFile);
        var expected = adapter.StateDict();
        using var scope = NewDisposeScope();
        var loaded = Safetensors.Load(file);
        using var _ = no_grad();
        foreach (var (name, p) in expected)
        {
            if (!loaded.TryGetValue(name, out var t)) throw new InvalidDataException($"{file}: missing adapter tensor '{name}'.");
            if (!t.shape.SequenceEqual(p.shape)) throw new InvalidDataException($"{file}: tensor '{name}' has shape [{string.Join(",", t.shape)}], expected [{string.Join(",", p.shape)}].");
            p.copy_(t.to(p.dtype));
        }
        var extra = loaded.Keys.FirstOrDefault(k => !expected.ContainsKey(k));
        if (extra is not null) throw new InvalidDataException($"{file}: tensor '{extra}' does not match any adapted module of this model.");
        return adapter;
    }
}
