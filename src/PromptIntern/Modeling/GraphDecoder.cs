using System.Runtime.CompilerServices;
using PromptIntern.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>
/// Decoding on CUDA graphs (native extension): a static KV cache per (batch, capacity bucket, sampling settings), the
/// one-token decode step captured once — embedding to next token, cache write, position and step counters advanced on
/// the device — and replayed once per token. The host reads the new tokens every <see cref="ReadEvery"/> steps (stop
/// checks), not per token. Prefill runs eagerly (flash attention when no row is padded). Sampling happens in the
/// graph too (softmax, top-p, Gumbel-max on the CUDA generator seeded from <see cref="GenerationOptions.Seed"/>), so
/// sampled text differs from the CPU path's for the same seed; greedy text is the same up to bf16 rounding.
/// </summary>
public static class GraphDecoder
{
    /// <summary>Set to 0 to decode eagerly on CUDA even when the native extension is loaded.</summary>
    public const string DisableVariable = "PROMPTINTERN_GRAPH_DECODE";
    const int ReadEvery = 16, CapacityStep = 64, SessionsPerModel = 2;

    /// <summary>Whether <see cref="TextGenerator"/> decodes on graphs for a model on <paramref name="device"/>.</summary>
    public static bool Applies(Device device) =>
        NativeExtension.UsableOn(device) && Environment.GetEnvironmentVariable(DisableVariable) != "0";

    static readonly ConditionalWeakTable<LlamaModel, List<Session>> Sessions = new();

    /// <summary>Next token of every row, step by step (the first from the prefill); stop enumerating to stop decoding.
    /// <paramref name="flat"/> is [b, p] left-padded ids, <paramref name="offsets"/> each row's padding. With
    /// <paramref name="capture"/> false the static-cache step runs as it is, uncaptured, on any device: what the graph
    /// replays, testable on the CPU.</summary>
    public static IEnumerable<long[]> Steps(LlamaModel model, long[] flat, int b, int p, int[] offsets, GenerationOptions o, bool capture = true)
    {
        int capacity = (p + o.MaxNewTokens + CapacityStep - 1) / CapacityStep * CapacityStep;
        if (capture) return Run(SessionFor(model, b, capacity, o), model, flat, b, p, offsets, o);
        var uncaptured = new Session(model, (b, capacity, o.Temperature, o.TopP, model.DType, 0), o, capture: false);
        return Run(uncaptured, model, flat, b, p, offsets, o, dispose: true);
    }

    static IEnumerable<long[]> Run(Session s, LlamaModel model, long[] flat, int b, int p, int[] offsets, GenerationOptions o, bool dispose = false)
    {
        using var owned = dispose ? s : null;
        var device = model.Device;
        using (var scope = NewDisposeScope())
        {
            if (o.Temperature > 0) cuda.manual_seed(o.Seed);
            var ids = tensor(flat, [b, p]).to(device);
            Tensor? padMask = null;
            if (offsets.Any(x => x > 0))
                padMask = tensor(Enumerable.Range(0, b * p).Select(k => k % p < offsets[k / p] ? 0L : 1L).ToArray(), [b, p]).to(device);
            var ctx = ForwardContext.Create(b, p, device, padMask, s.Cache, 0);
            var first = Choose(model.Forward(ids, ctx, lastOnly: true).select(1, 0), o).view(b, 1);
            s.Token.copy_(first);
            s.Out.narrow(1, 0, 1).copy_(first);
            s.Slot.fill_(p);
            s.Step.fill_(1);
            s.Offsets.copy_(tensor(offsets.Select(x => (long)x).ToArray()).to(device));
        }
        for (int read = 0, made = 1; read < o.MaxNewTokens;)
        {
            int until = Math.Min(o.MaxNewTokens, read == 0 ? made : made + ReadEvery);
            for (; made < until; made++) s.Advance(model, o);
            long[] host;
            using (var chunk = s.Out.narrow(1, read, made - read).cpu()) host = chunk.data<long>().ToArray(); // the one sync per chunk
            int n = made - read;
            for (int j = 0; j < n; j++) yield return Enumerable.Range(0, b).Select(i => host[i * n + j]).ToArray();
            read = made;
        }
    }

    /// <summary>The next token per row of logits [B, V]: argmax, or a sample at the options' temperature and top-p
    /// (Gumbel-max: argmax(log p + Gumbel noise) draws from p without a host-side sampler).</summary>
    static Tensor Choose(Tensor logits, GenerationOptions o)
    {
        if (o.Temperature <= 0) return logits.argmax(-1);
        var probs = nn.functional.softmax(logits.to(ScalarType.Float32) / o.Temperature, -1);
        if (o.TopP < 1.0)
        {
            var (sorted, idx) = probs.sort(-1, descending: true);
            var cum = sorted.cumsum(-1);
            sorted = sorted.masked_fill((cum - sorted).gt(o.TopP), 0); // the smallest prefix whose mass reaches top_p
            probs = zeros_like(probs).scatter(-1, idx, sorted);
        }
        var gumbel = -(-rand_like(probs).clamp_(1e-20, 1.0).log()).log();
        return (probs.log() + gumbel).argmax(-1);
    }

    static Session SessionFor(LlamaModel model, int b, int capacity, GenerationOptions o)
    {
        var list = Sessions.GetOrCreateValue(model);
        // A graph holds the addresses of the weights it read and the modules it ran: new parameters (a dtype or device
        // move, an attached adapter) make a new key, and the old graph ages out.
        long weights = model.parameters().Aggregate(0L, (h, p) => unchecked(h * 31 + p.Handle.ToInt64()));
        var key = (b, capacity, o.Temperature, o.TopP, model.DType, weights);
        var found = list.FirstOrDefault(s => s.Key == key);
        if (found is not null) { list.Remove(found); list.Insert(0, found); return found; }
        while (list.Count >= SessionsPerModel) { list[^1].Dispose(); list.RemoveAt(list.Count - 1); }
        var made = new Session(model, key, o);
        list.Insert(0, made);
        return made;
    }

    /// <summary>Drops the captured graphs and static caches held for <paramref name="model"/> (GPU memory).</summary>
    public static void Release(LlamaModel model)
    {
        if (!Sessions.TryGetValue(model, out var list)) return;
        foreach (var s in list) s.Dispose();
        list.Clear();
    }

    sealed class Session : IDisposable
    {
        public (int B, int Capacity, double Temperature, double TopP, ScalarType DType, long Weights) Key { get; }
        public KvCache Cache { get; }
        public Tensor Token, Slot, Step, Offsets, Out, KeyIndex;
        public NativeExtension.CudaGraph? Graph { get; }

        public Session(LlamaModel model, (int B, int Capacity, double Temperature, double TopP, ScalarType DType, long Weights) key, GenerationOptions o,
            bool capture = true)
        {
            Key = key;
            var (b, cap) = (key.B, key.Capacity);
            var device = model.Device;
            Cache = new KvCache(model.Config, b, cap, device, model.DType);
            Token = zeros([b, 1], ScalarType.Int64, device).DetachFromDisposeScope();
            Slot = zeros([1], ScalarType.Int64, device).DetachFromDisposeScope();
            Step = zeros([1], ScalarType.Int64, device).DetachFromDisposeScope();
            Offsets = zeros([b], ScalarType.Int64, device).DetachFromDisposeScope();
            Out = zeros([b, cap], ScalarType.Int64, device).DetachFromDisposeScope();
            KeyIndex = arange(cap, ScalarType.Int64, device).view(1, cap).DetachFromDisposeScope();
            if (!capture) return;
            Graph = new NativeExtension.CudaGraph();
            Graph.Capture(() => DecodeStep(model, o), () => { Slot.zero_(); Step.zero_(); Token.zero_(); });
        }

        /// <summary>One token for every row: the captured step replayed, or run as it is when nothing was captured.</summary>
        public void Advance(LlamaModel model, GenerationOptions o)
        {
            if (Graph is { } graph) graph.Replay();
            else DecodeStep(model, o);
        }

        /// <summary>One token for every row, entirely on the device: what the graph captures.</summary>
        void DecodeStep(LlamaModel model, GenerationOptions o)
        {
            using var scope = NewDisposeScope();
            int b = Key.B, cap = Key.Capacity;
            var ctx = new ForwardContext
            {
                Positions = (Slot - Offsets).view(b, 1),
                Mask = KeyIndex.le(Slot).logical_and(KeyIndex.ge(Offsets.view(b, 1))).view(b, 1, 1, cap),
                IsCausal = false, Cache = Cache, CacheSlot = Slot,
            };
            var next = Choose(model.Forward(Token, ctx, lastOnly: true).select(1, 0), o).view(b, 1);
            Token.copy_(next);
            Out.index_copy_(1, Step, next);
            Slot.add_(1);
            Step.add_(1);
        }

        public void Dispose()
        {
            Graph?.Dispose();
            Cache.Dispose();
            foreach (var t in new[] { Token, Slot, Step, Offsets, Out, KeyIndex }) t.Dispose();
        }
    }
}
