#!/usr/bin/env python3
"""Where a training step's time goes, from kineto Chrome traces: ours (`promptintern bench train --profile-steps N`,
through the native extension's profiler) and the peer's (`peer_torch.py --profile-trace PATH`, through torch.profiler);
both save the same ProfilerResult format, so one reading serves both.

Per trace, per step:
  - wall time: from the first step's start on the host to the end of the last GPU activity or step, whichever is later
    (each bench synchronises the device before profiling, so the GPU is idle when the first step starts);
  - GPU busy: the union of kernel, memcpy and memset intervals over all streams; idle = wall - busy, split into the
    lead-in (first step's start to the first GPU activity), the gaps between GPU activities (by length) and the tail;
  - GPU time by category of kernel name (gemm, flash-attention, elementwise+reduction, copy-cast, optimizer, other);
    sums of durations, so streams that overlap can sum to more than busy;
  - kernels and host-side launches, the top kernels by total time;
  - host syncs: CUDA runtime calls that block the host (stream/device/event synchronize, synchronous cudaMemcpy)
    inside the steps, and device-to-host copies.
Steps are the host-side user ranges named pi_step#<i> (both benches mark each profiled step so), else ProfilerStep#<i>,
else --steps N over the whole trace.

Usage: python3 bench/profile_summary.py [--steps N] [--top K] [--out STEM] [--meta KEY=VALUE]... [LABEL=]TRACE...
  Several traces give one column each, e.g. ours=a.json peer=b.json (with two, a third column: first minus second).
  --out writes STEM.json and STEM.md (each replaced whole); without it the Markdown goes to stdout.
  A bad argument or an unreadable trace: one line on stderr, exit 2.
"""
import datetime, gzip, json, os, platform, re, sys

CATEGORIES = ["gemm", "flash-attention", "elementwise+reduction", "copy-cast", "optimizer", "other"]
# First match wins, in this order: optimizer kernels are multi-tensor elementwise ones, and attention kernels contain
# GEMMs of their own, so both are tested before the general patterns; a kernel whose name matches none is "other".
# Names carry template arguments ("{lambda(int)#1}", "gpu_kernel_impl_nocast"): patterns must not match those words.
RULES = [
    ("optimizer", re.compile(r"adam|multi_tensor_apply|foreach|fused_sgd", re.I)),
    ("flash-attention", re.compile(r"flash|fmha|attention|sdpa|attn", re.I)),
    ("gemm", re.compile(r"gemm|gemv|nvjet|cutlass|xmma|cublas|matmul|splitk|triton_tem_|_mm_|bmm", re.I)),
    # torch.compile's fused pointwise/reduction kernels, whose names list the ops they fused (often a _to_copy among them).
    ("elementwise+reduction", re.compile(r"^triton_(poi|red|per)_")),
    ("copy-cast", re.compile(r"copy|memcpy|memset|catarray", re.I)),
    ("elementwise+reduction", re.compile(r"elementwise|reduce|vectorized|softmax|norm|triton_|loss|nll|index|embedding|"
                                         r"gather|scatter|fill|where|pointwise|cross_entropy|silu|gelu|rope|rotary|"
                                         r"dropout|sum|mean|max|min|mul|add|sub|div|exp|log|sqrt|neg|sin|cos|clamp|arange|rand", re.I)),
]
GPU_CATS = {"kernel", "gpu_memcpy", "gpu_memset"}
RUNTIME_CATS = {"cuda_runtime", "cuda_driver"}
SYNC_CALLS = {"cudaStreamSynchronize", "cudaDeviceSynchronize", "cudaEventSynchronize", "cudaMemcpy", "cudaMemcpy2D",
              "cuStreamSynchronize", "cuCtxSynchronize", "cuEventSynchronize", "cuMemcpyDtoH_v2"}
LAUNCH = re.compile(r"^(cudaLaunchKernel|cudaLaunchKernelExC|cuLaunchKernel|cuLaunchKernelEx|cudaGraphLaunch|cudaLaunchCooperativeKernel)")
GAP_BUCKETS = [("under 10 us", 0, 10), ("10-100 us", 10, 100), ("100 us and over", 100, float("inf"))]


class UserError(Exception):
    pass


def category(name, cat="kernel"):
    if cat in ("gpu_memcpy", "gpu_memset"):
        return "copy-cast"
    for label, pattern in RULES:
        if pattern.search(name):
            return label
    return "other"


def load_events(path):
    try:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise UserError(f"{path}: not found")
    except (OSError, ValueError, EOFError) as e:
        raise UserError(f"{path}: not a JSON trace ({str(e).splitlines()[0]})")
    events = doc.get("traceEvents") if isinstance(doc, dict) else doc
    if not isinstance(events, list):
        raise UserError(f"{path}: field 'traceEvents': expected a list of events")
    out = []
    for e in events:
        if isinstance(e, dict) and e.get("ph") == "X" and isinstance(e.get("ts"), (int, float)) and isinstance(e.get("dur"), (int, float)):
            out.append(dict(name=str(e.get("name", "")), cat=str(e.get("cat", "")).lower(), ts=float(e["ts"]), dur=max(float(e["dur"]), 0.0)))
    return out


def step_ranges(events):
    for pattern in (r"^pi_step#\d+$", r"^ProfilerStep#\d+$"):
        found = sorted((e["ts"], e["ts"] + e["dur"]) for e in events if e["cat"] == "user_annotation" and re.match(pattern, e["name"]))
        if found:
            return found
    return []


def union(intervals):
    merged = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return merged


def summarise(path, steps_arg=None, top=15):
    events = load_events(path)
    gpu = [e for e in events if e["cat"] in GPU_CATS]
    ranges = step_ranges(events)
    if ranges:
        steps, start = len(ranges), ranges[0][0]
        source = "pi_step ranges" if any(e["name"].startswith("pi_step#") for e in events if e["cat"] == "user_annotation") else "ProfilerStep ranges"
    elif steps_arg:
        steps, source = steps_arg, "--steps"
        start = min((e["ts"] for e in events), default=0.0)
    else:
        raise UserError(f"{path}: no pi_step#/ProfilerStep# ranges; pass --steps N")
    gpu = [e for e in gpu if e["ts"] + e["dur"] > start]
    host_end = ranges[-1][1] if ranges else max((e["ts"] + e["dur"] for e in events), default=start)
    end = max([host_end] + [e["ts"] + e["dur"] for e in gpu])
    wall = end - start
    if wall <= 0:
        raise UserError(f"{path}: the profiled window is empty")
    busy_runs = union([(max(e["ts"], start), e["ts"] + e["dur"]) for e in gpu])
    busy = sum(e - s for s, e in busy_runs)
    gaps = [busy_runs[i + 1][0] - busy_runs[i][1] for i in range(len(busy_runs) - 1)]
    lead = busy_runs[0][0] - start if busy_runs else wall
    tail = end - busy_runs[-1][1] if busy_runs else 0.0

    by_cat = {c: 0.0 for c in CATEGORIES}
    kernels = {}
    for e in gpu:
        c = category(e["name"], e["cat"])
        by_cat[c] += e["dur"]
        k = kernels.setdefault(e["name"], dict(category=c, calls=0, us=0.0))
        k["calls"] += 1
        k["us"] += e["dur"]
    kernel_us = sum(by_cat.values())

    def in_steps(e):
        return any(s <= e["ts"] < t for s, t in ranges) if ranges else True
    runtime = [e for e in events if e["cat"] in RUNTIME_CATS and e["ts"] >= start]
    syncs = {}
    for e in runtime:
        if e["name"] in SYNC_CALLS and in_steps(e):
            s = syncs.setdefault(e["name"], dict(calls=0, us=0.0))
            s["calls"] += 1
            s["us"] += e["dur"]
    per = lambda x: round(x / steps / 1e3, 4)  # microseconds in total -> milliseconds per step
    top_rows = sorted(kernels.items(), key=lambda kv: -kv[1]["us"])[:top]
    return dict(
        trace=path, trace_bytes=os.path.getsize(path), steps=steps, steps_from=source,
        wall_ms_per_step=per(wall),
        host_step_ms=round(sum(t - s for s, t in ranges) / len(ranges) / 1e3, 3) if ranges else None,
        gpu_busy_ms_per_step=per(busy), gpu_busy_share=round(busy / wall, 4), gpu_idle_ms_per_step=per(wall - busy),
        lead_in_ms=round(lead / 1e3, 3), tail_ms=round(tail / 1e3, 3),
        gaps=dict(count_per_step=round(len(gaps) / steps, 1), ms_per_step=per(sum(gaps)),
                  buckets={label: dict(count_per_step=round(sum(lo <= g < hi for g in gaps) / steps, 1),
                                       ms_per_step=per(sum(g for g in gaps if lo <= g < hi))) for label, lo, hi in GAP_BUCKETS}),
        gpu_ms_per_step_by_category={c: per(v) for c, v in by_cat.items()},
        gpu_ms_per_step_summed=per(kernel_us),
        kernels_per_step=round(sum(1 for e in gpu if e["cat"] == "kernel") / steps, 1),
        launches_per_step=round(sum(1 for e in runtime if LAUNCH.match(e["name"]) and in_steps(e)) / steps, 1),
        host_syncs=dict(count_per_step=round(sum(s["calls"] for s in syncs.values()) / steps, 2),
                        ms_per_step=per(sum(s["us"] for s in syncs.values())),
                        by_call={n: dict(calls=s["calls"], ms=round(s["us"] / 1e3, 3)) for n, s in sorted(syncs.items())}),
        d2h_copies_per_step=round(sum(1 for e in gpu if e["cat"] == "gpu_memcpy" and "dtoh" in e["name"].lower()) / steps, 2),
        top_kernels=[dict(name=n, category=k["category"], calls_per_step=round(k["calls"] / steps, 2), ms_per_step=per(k["us"]),
                          share=round(k["us"] / kernel_us, 4) if kernel_us else 0.0) for n, k in top_rows],
    )


ROWS = [  # (label, getter) of the side-by-side table
    ("steps profiled", lambda s: s["steps"]),
    ("wall ms/step", lambda s: s["wall_ms_per_step"]),
    ("host ms/step inside the step range", lambda s: s["host_step_ms"]),
    ("GPU busy ms/step", lambda s: s["gpu_busy_ms_per_step"]),
    ("GPU busy share of wall", lambda s: s["gpu_busy_share"]),
    ("GPU idle ms/step", lambda s: s["gpu_idle_ms_per_step"]),
    ("  lead-in ms (once)", lambda s: s["lead_in_ms"]),
    ("  gaps per step", lambda s: s["gaps"]["count_per_step"]),
    ("  gaps ms/step", lambda s: s["gaps"]["ms_per_step"]),
] + [(f"    gaps {b} ms/step", (lambda b: lambda s: s["gaps"]["buckets"][b]["ms_per_step"])(b)) for b, _, _ in GAP_BUCKETS] + [
    (f"    gaps {b} per step", (lambda b: lambda s: s["gaps"]["buckets"][b]["count_per_step"])(b)) for b, _, _ in GAP_BUCKETS] + [
    (f"GPU ms/step: {c}", (lambda c: lambda s: s["gpu_ms_per_step_by_category"][c])(c)) for c in CATEGORIES] + [
    ("GPU ms/step: sum of all", lambda s: s["gpu_ms_per_step_summed"]),
    ("kernels per step", lambda s: s["kernels_per_step"]),
    ("kernel launches per step (host)", lambda s: s["launches_per_step"]),
    ("host syncs per step", lambda s: s["host_syncs"]["count_per_step"]),
    ("host ms/step blocked in syncs", lambda s: s["host_syncs"]["ms_per_step"]),
    ("device-to-host copies per step", lambda s: s["d2h_copies_per_step"]),
]


def fmt(x):
    return "-" if x is None else f"{x:g}" if isinstance(x, (int, float)) else str(x)


def short(name):
    """A kernel name without the namespaces that make up most of its length, so the functor stays visible."""
    n = re.sub(r"\bat::native::|\(anonymous namespace\)::|\bc10::|\bcutlass::", "", re.sub(r"^void ", "", name))
    return n if len(n) <= 140 else n[:137] + "..."


def findings(a, b, la, lb):
    """Where the wall-time difference of two traces lies: GPU idle (launch gaps, syncs) or kernel time, and which
    categories of kernel hold it, largest first."""
    dw, di, dk = (a["wall_ms_per_step"] - b["wall_ms_per_step"], a["gpu_idle_ms_per_step"] - b["gpu_idle_ms_per_step"],
                  a["gpu_busy_ms_per_step"] - b["gpu_busy_ms_per_step"])
    cats = sorted(CATEGORIES, key=lambda c: -abs(a["gpu_ms_per_step_by_category"][c] - b["gpu_ms_per_step_by_category"][c]))
    by_cat = ", ".join(f"{c} {a['gpu_ms_per_step_by_category'][c] - b['gpu_ms_per_step_by_category'][c]:+.1f}" for c in cats[:3])
    where = "kernel time" if abs(dk) >= abs(di) else "GPU idle time (launch gaps, host syncs)"
    return [
        f"{la} - {lb}: {dw:+.1f} ms/step of wall time ({a['wall_ms_per_step']:.1f} vs {b['wall_ms_per_step']:.1f}); most of it is {where}.",
        f"GPU busy {a['gpu_busy_share']:.1%} vs {b['gpu_busy_share']:.1%}: idle {di:+.1f} ms/step (gaps {a['gaps']['ms_per_step'] - b['gaps']['ms_per_step']:+.1f}), "
        f"kernel time (union) {dk:+.1f} ms/step.",
        f"Kernel time by category, largest differences first (ms/step): {by_cat}.",
        f"Kernels per step {a['kernels_per_step']:g} vs {b['kernels_per_step']:g}; host syncs per step {a['host_syncs']['count_per_step']:g} "
        f"({a['host_syncs']['ms_per_step']:.1f} ms blocked) vs {b['host_syncs']['count_per_step']:g} ({b['host_syncs']['ms_per_step']:.1f} ms blocked).",
    ]


def markdown(meta, traces):
    labels = list(traces)
    diff = len(labels) == 2
    out = ["# Training step profile: where the time goes", ""]
    out += [f"- {k}: {v}" for k, v in meta.items()]
    out += [f"- trace {l}: {os.path.basename(s['trace'])} ({s['trace_bytes']} bytes; steps from {s['steps_from']})" for l, s in traces.items()]
    columns = ["measure"] + labels + ([f"{labels[0]} - {labels[1]}"] if diff else [])
    out += ["", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for label, get in ROWS:
        vals = [get(traces[l]) for l in labels]
        cells = [fmt(v) for v in vals]
        if diff:
            cells.append(fmt(round(vals[0] - vals[1], 3)) if all(isinstance(v, (int, float)) for v in vals) and label != "steps profiled" else "-")
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    if diff:
        out += ["", "## Where the difference is", ""] + [f"- {line}" for line in findings(traces[labels[0]], traces[labels[1]], *labels)]
    out += ["", "GPU time by category sums kernel durations (streams that overlap count twice); busy is their union.",
            "Host syncs: CUDA runtime calls that block the host inside the steps (synchronize, synchronous cudaMemcpy)."]
    for l in labels:
        out += ["", f"## Top kernels: {l}", "", "| kernel | category | calls/step | ms/step | share of GPU time |", "|---|---|---|---|---|"]
        for k in traces[l]["top_kernels"]:
            out.append(f"| `{short(k['name']).replace('|', '/')}` | {k['category']} | {fmt(k['calls_per_step'])} | {fmt(k['ms_per_step'])} | {fmt(k['share'])} |")
        syncs = traces[l]["host_syncs"]["by_call"]
        out += ["", "Host syncs: " + (", ".join(f"{n} x{s['calls']} ({fmt(s['ms'])} ms)" for n, s in syncs.items()) or "none") + "."]
    return "\n".join(out) + "\n"


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def parse(argv):
    steps, top, out, meta, traces = None, 15, None, {}, []
    it = iter(argv)
    for a in it:
        if a in ("--steps", "--top", "--out", "--meta"):
            v = next(it, None)
            if v is None:
                raise UserError(f"{a}: missing value")
            if a in ("--steps", "--top"):
                if not re.fullmatch(r"[1-9]\d*", v):
                    raise UserError(f"{a}: '{v}' is not a positive integer")
                if a == "--steps":
                    steps = int(v)
                else:
                    top = int(v)
            elif a == "--out":
                out = v
            else:
                if "=" not in v:
                    raise UserError(f"--meta: '{v}' is not KEY=VALUE")
                k, val = v.split("=", 1)
                meta[k] = val
        elif a.startswith("--"):
            raise UserError(f"unknown option {a}")
        else:
            label, path = a.split("=", 1) if "=" in a and not os.path.exists(a) else (None, a)
            traces.append((label, path))
    if not traces:
        raise UserError("no trace given (usage: profile_summary.py [--steps N] [--out STEM] [--meta K=V]... [LABEL=]TRACE...)")
    labels = [l or os.path.basename(p) for l, p in traces]
    if len(set(labels)) != len(labels):
        raise UserError(f"two traces share the label '{next(l for l in labels if labels.count(l) > 1)}'")
    return steps, top, out, meta, list(zip(labels, (p for _, p in traces)))


def main(argv):
    try:
        steps, top, out, meta, traces = parse(argv)
        summaries = {label: summarise(path, steps, top) for label, path in traces}
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    meta = dict(meta, date_utc=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                summarised_on=platform.node(), summariser="bench/profile_summary.py")
    md = markdown(meta, summaries)
    if out:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        labels = list(summaries)
        found = findings(summaries[labels[0]], summaries[labels[1]], *labels) if len(labels) == 2 else []
        write_atomic(out + ".json", json.dumps(dict(meta=meta, traces=summaries, findings=found), indent=2) + "\n")
        write_atomic(out + ".md", md)
        print(f"wrote {out}.json and {out}.md")
    else:
        sys.stdout.write(md)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
