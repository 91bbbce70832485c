#!/usr/bin/env python3
"""Tables of one device session's engine benchmarks (issues "paper-scale fine-tuning" and "fast generation"), from the
files its calls wrote: results/bench/<session>/<call>/{device.txt, BUNDLE_COMMIT, ours/*.json, peer.log}.

Every ratio compares rows of the SAME call (same card). Training: ours/peer tokens/s (> 1 = ours faster). Decoding:
ours/peer milliseconds (< 1 = ours faster). Latency: per model, task and batch, the three prompt layouts and the
speed-up full / query-only, beside the paper's 4.2x. Writes summary.json and summary.md into the session folder.
A training row whose call has no peer for its shape is listed without a ratio; beside the tables, such a row is set
against the compiled peer of another call of the same session on the same card (context, never a goal ratio).
Usage: python3 bench/engine_summary.py [results/bench/session6]
"""
import datetime, glob, json, os, sys

root = sys.argv[1] if len(sys.argv) > 1 else "results/bench/session6"
PAPER_SPEEDUP = 4.2  # PromptIntern abstract: "4.2x faster inference"
GOALS = {("train", "nano", "none"): (">=", 1.1), ("train", "smol135m", "none"): (">=", 1.0), ("train", "llama2-7b", "qv"): (">=", 1.0),
         ("train", "llama2-7b", "all"): (">=", 1.0), ("decode", "nano"): ("<=", 0.8), ("decode", "smol135m"): ("<=", 1.0),
         ("decode", "llama2-7b"): ("<=", 1.0)}


def load_call(path):
    ours = []
    for f in sorted(glob.glob(os.path.join(path, "ours", "*.json"))):
        doc = json.load(open(f))
        for r in doc.get("results", []):  # other verbs (eval-batching) write their own shape
            ours.append(dict(r, _file=os.path.relpath(f, root), _env=doc["environment"]))
    # Rows a run printed but never wrote to its JSON (its process died later, e.g. out of memory) come from its log.
    seen = {json.dumps({k: v for k, v in r.items() if not k.startswith("_")}, sort_keys=True) for r in ours}
    log = os.path.join(path, "ours.log")
    for line in open(log) if os.path.exists(log) else []:
        if line.startswith('{"Model"'):
            r = json.loads(line)
            if json.dumps(r, sort_keys=True) not in seen:
                ours.append(dict(r, _file=os.path.relpath(log, root) + " (printed; the run aborted before its JSON)", _env=dict(native=ours[0]["_env"].get("native") if ours else None)))
    peer = [json.loads(l) for l in open(os.path.join(path, "peer.log")) if l.startswith("{") and '"kind"' in l] \
        if os.path.exists(os.path.join(path, "peer.log")) else []
    return dict(name=os.path.basename(path), device=open(os.path.join(path, "device.txt")).read().strip(),
                bundle_commit=open(os.path.join(path, "BUNDLE_COMMIT")).read().strip(), ours=ours, peer=peer, profile=load_profile(path))


def load_profile(path):
    """Wall ms per step of the profiled 7B LoRA q,v steps (bench.sh profile_7b), ours and the peer, when the call ran them."""
    f = os.path.join(path, "profile-7b.json")
    traces = json.load(open(f))["traces"] if os.path.exists(f) else {}
    return {side: traces[side]["wall_ms_per_step"] for side in ("ours", "peer")} if "ours" in traces and "peer" in traces else None


def peer_row(call, kind, compiled, **match):
    return next((r for r in call["peer"] if r["kind"] == kind and r["compiled"] == compiled
                 and all(r.get(k) == v for k, v in match.items())), None)


def goal(key, ratio):
    if key not in GOALS or ratio is None:
        return None
    op, target = GOALS[key]
    return dict(target=f"{op} {target}", met=ratio >= target if op == ">=" else ratio <= target)


calls = [load_call(p) for p in sorted(glob.glob(os.path.join(root, "call*")))]
train, decode, latency = [], [], []
for c in calls:
    for r in c["ours"]:
        if "TokensPerSecond" in r:
            peers = [p for p in (peer_row(c, "train", compiled, model=r["Model"], lora=r["Lora"]) for compiled in (True, False)) if p]
            for p in peers or [None]:  # a row without a peer in its call is listed, with no ratio
                compiled = bool(p and p["compiled"])
                p = p or dict(tokens_per_s=None, mfu=None, how="none in this call")
                ratio = round(r["TokensPerSecond"] / p["tokens_per_s"], 3) if p["tokens_per_s"] else None
                # The profiled steps of the same call time both sides once more, after their timed ones; the goal is met only
                # where both ratios meet it (the compiled peer's timed steps have run slower than its profiled ones).
                profiled = round(c["profile"]["peer"] / c["profile"]["ours"], 3) \
                    if compiled and c["profile"] and (r["Model"], r["Lora"], r.get("Step", "eager")) == ("llama2-7b", "qv", "eager") else None
                train.append(dict(call=c["name"], device=c["device"], model=r["Model"], lora=r["Lora"], batch=r["Batch"], seq=r["Seq"],
                                  ours_step=r.get("Step", "eager"), ours_optimizer=r["Optimizer"], native=r["_env"].get("native", "off"),
                                  checkpointing=r["ActivationCheckpointing"], peer=p.get("how", "compiled" if compiled else "eager"),
                                  ours_tokens_per_s=r["TokensPerSecond"], peer_tokens_per_s=p["tokens_per_s"], ratio=ratio,
                                  ours_mfu=r["Mfu"], peer_mfu=p["mfu"], ours_peak_gib=r.get("PeakMemGiB"), peer_peak_gib=p.get("peak_mem_gib"),
                                  ours_static_gib=r.get("StaticMemGiB"), profiled_ratio=profiled,
                                  goal=goal(("train", r["Model"], r["Lora"]), min(x for x in (ratio, profiled) if x is not None) if ratio else None)
                                  if compiled else None))
        elif "MedianMs" in r and r.get("Task") is None:
            peers = [(p, compiled) for compiled in (True, False) if (p := peer_row(c, "generate", compiled, model=r["Model"], prompt_tokens=r["PromptTokens"],
                                                                                    new_tokens=r["NewTokens"], batch=r["Batch"], task=None))]
            for p, compiled in peers or [(None, False)]:  # a row without a peer in its call is listed, with no ratio
                ratio = round(r["MedianMs"] / p["median_ms"], 3) if p else None
                decode.append(dict(call=c["name"], device=c["device"], model=r["Model"], prompt_tokens=r["PromptTokens"], new_tokens=r["NewTokens"],
                                   batch=r["Batch"], ours_decode=r["Decode"], native=r["_env"].get("native", "off"), peer=("compiled" if compiled else "eager") if p else "none in this call",
                                   ours_ms=r["MedianMs"], peer_ms=p["median_ms"] if p else None, ratio=ratio,
                                   goal=goal(("decode", r["Model"]), ratio) if compiled else None))
    by = {}
    for r in c["ours"]:
        if r.get("Task"):
            by.setdefault((r["Model"], r["Task"], r["Batch"]), {})[r["Layout"]] = r
    for (model, task, batch), layouts in by.items():
        if not all(k in layouts for k in ("full", "llmlingua2", "query-only")):
            continue
        row = dict(call=c["name"], device=c["device"], model=model, task=task, batch=batch, answer_tokens=layouts["full"]["NewTokens"],
                   decode=layouts["full"]["Decode"], paper_speedup=PAPER_SPEEDUP)
        for engine in ("ours", "peer_eager", "peer_compiled"):
            ms = {}
            for name, r in layouts.items():
                if engine == "ours":
                    ms[name] = r["MedianMs"]
                else:
                    p = peer_row(c, "generate", engine == "peer_compiled", model=model, task=task, layout=name, batch=batch)
                    if p:
                        ms[name] = p["median_ms"]
            if len(ms) == 3:
                row[engine] = dict(prompt_tokens={k: layouts[k]["PromptTokens"] for k in layouts}, ms=ms,
                                   ms_per_query={k: round(v / batch, 1) for k, v in ms.items()},
                                   queries_per_s={k: round(batch * 1000 / v, 2) for k, v in ms.items()},
                                   speedup_full_over_query_only=round(ms["full"] / ms["query-only"], 2),
                                   speedup_llmlingua2_over_query_only=round(ms["llmlingua2"] / ms["query-only"], 2))
        latency.append(row)

# Where our step time goes: a whole-step CUDA graph replays the same kernels with no host work between them, so its
# step time is our kernel time and the eager step's surplus is launch gaps and host work.
breakdown = []
for c in calls:
    rows = [r for r in c["ours"] if "TokensPerSecond" in r]
    for g in (r for r in rows if r.get("Step") == "cuda-graph"):
        e = next((r for r in rows if r.get("Step", "eager") == "eager" and (r["Model"], r["Lora"], r["Batch"], r["Seq"]) == (g["Model"], g["Lora"], g["Batch"], g["Seq"])), None)
        if e:
            breakdown.append(dict(call=c["name"], model=g["Model"], lora=g["Lora"], eager_step_ms=e["StepMs"], kernel_ms=g["StepMs"],
                                  gaps_ms=round(e["StepMs"] - g["StepMs"], 2), gaps_share=round(1 - g["StepMs"] / e["StepMs"], 3)))

# Rows with no peer in their own call, beside the compiled peer of another call on the same card (context only).
context = []
for r in (t for t in train if t["peer_tokens_per_s"] is None):
    for c in calls:
        if c["name"] == r["call"] or c["device"] != r["device"]:
            continue
        p = peer_row(c, "train", True, model=r["model"], lora=r["lora"], batch=r["batch"], seq=r["seq"])
        if p:
            context.append(dict(call=r["call"], model=r["model"], lora=r["lora"], ours_step=r["ours_step"], ours_tokens_per_s=r["ours_tokens_per_s"],
                                peer_call=c["name"], peer=p.get("how", "compiled"), peer_tokens_per_s=p["tokens_per_s"],
                                cross_call_ratio=round(r["ours_tokens_per_s"] / p["tokens_per_s"], 3)))

meta = dict(written_utc=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), script="bench/engine_summary.py",
            calls=[dict(name=c["name"], device=c["device"], bundle_commit=c["bundle_commit"],
                        native=next((r["_env"].get("native") for r in c["ours"]), None), torch_env=next((r["_env"].get("torch_env") for r in c["ours"]), None))
                   for c in calls])
json.dump(dict(meta=meta, train=train, breakdown=breakdown, decode=decode, latency=latency, cross_call_context=context), open(os.path.join(root, "summary.json"), "w"), indent=2)


def fmt_goal(g):
    return "-" if not g else f"{g['target']}: {'met' if g['met'] else 'missed'}"


with open(os.path.join(root, "summary.md"), "w") as f:
    f.write("# Engine benchmarks: ours (TorchSharp + native extension) vs transformers/PEFT, same call = same card\n\n")
    for c in meta["calls"]:
        f.write(f"- {c['name']}: {c['device']}; bundle {c['bundle_commit'][:10]}; native {c['native']}\n")
    f.write("\n## Training (tokens/s; ratio > 1 = ours faster)\n\n| call | model | LoRA | batch x seq | ours step / optimizer | peer | ours tok/s | peer tok/s | ours/peer | ours/peer, profiled steps | goal | MFU ours / peer | peak GiB ours / peer | static GiB ours |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    for r in train:
        f.write(f"| {r['call']} | {r['model']} | {r['lora']} | {r['batch']}x{r['seq']} | {r['ours_step']} / {r['ours_optimizer']} | {r['peer']} | {r['ours_tokens_per_s']:.0f} | {r['peer_tokens_per_s'] or '-'} | {r['ratio'] or '-'} | {r.get('profiled_ratio') or '-'} | {fmt_goal(r['goal'])} | {r['ours_mfu'] or '-'} / {r['peer_mfu'] or '-'} | {r['ours_peak_gib'] or '-'} / {r['peer_peak_gib'] or '-'} | {r.get('ours_static_gib') or '-'} |\n")
    if breakdown:
        f.write("\n### Our training step: kernels vs launch gaps (graph-replayed step = kernel time)\n\n| call | model | LoRA | eager step ms | kernel ms | gaps ms | gaps share |\n|---|---|---|---|---|---|---|\n")
        for b in breakdown:
            f.write(f"| {b['call']} | {b['model']} | {b['lora']} | {b['eager_step_ms']} | {b['kernel_ms']} | {b['gaps_ms']} | {b['gaps_share']} |\n")
    if context:
        f.write("\n### Rows without a peer in their call, beside another call's compiled peer on the same card (context, not a goal ratio)\n\n"
                "| call | model | LoRA | ours step | ours tok/s | peer call | peer | peer tok/s | ours/peer across calls |\n|---|---|---|---|---|---|---|---|---|\n")
        for x in context:
            f.write(f"| {x['call']} | {x['model']} | {x['lora']} | {x['ours_step']} | {x['ours_tokens_per_s']:.0f} | {x['peer_call']} | {x['peer']} | {x['peer_tokens_per_s']} | {x['cross_call_ratio']} |\n")
    f.write("\n## Decoding (median ms; ratio < 1 = ours faster)\n\n| call | model | prompt + new | batch | ours decode | peer | ours ms | peer ms | ours/peer | goal |\n|---|---|---|---|---|---|---|---|---|---|\n")
    for r in decode:
        f.write(f"| {r['call']} | {r['model']} | {r['prompt_tokens']} + {r['new_tokens']} | {r['batch']} | {r['ours_decode']} | {r['peer']} | {r['ours_ms']} | {r['peer_ms'] or '-'} | {r['ratio'] or '-'} | {fmt_goal(r['goal'])} |\n")
    if latency:
        f.write(f"\n## The paper's layouts (ms per query = batch time / batch; speed-up = full / query-only; the paper: {PAPER_SPEEDUP}x)\n\n"
                "| call | model | task | batch | answer tokens | prompt tokens full / llmlingua2 / query-only | ours ms per query full / llmlingua2 / query-only | ours speed-up | peer eager ms per query | peer eager speed-up |\n|---|---|---|---|---|---|---|---|---|---|\n")
        for r in latency:
            o, p = r.get("ours"), r.get("peer_eager")
            pt = o["prompt_tokens"] if o else {}
            trio = lambda d: " / ".join(str(d[k]) for k in ("full", "llmlingua2", "query-only"))
            f.write(f"| {r['call']} | {r['model']} | {r['task']} | {r['batch']} | {r['answer_tokens']} | {trio(pt) if pt else '-'} | {trio(o['ms_per_query']) if o else '-'} | "
                    f"{o['speedup_full_over_query_only'] if o else '-'}x | {trio(p['ms_per_query']) if p else '-'} | {str(p['speedup_full_over_query_only']) + 'x' if p else '-'} |\n")
    f.write(f"\nWritten {meta['written_utc']} by bench/engine_summary.py from the call folders beside this file.\n")
print(open(os.path.join(root, "summary.md")).read())
