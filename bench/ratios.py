#!/usr/bin/env python3
"""Ratios of our GPU benchmark to the peer's (transformers + PEFT), from the files one device session wrote.

Reads results/bench/ours-h200/promptintern-all-*.json (our `promptintern bench all`) and the peer's JSON lines in
results/bench/peer-h200/*.log (eager and --compile), and writes results/bench/ratios.{json,md}.
Training: ours/peer tokens/s (> 1 = we are faster). Decoding: ours/peer median latency (< 1 = we are faster).
Usage: python3 bench/ratios.py [results/bench]
"""
import glob, json, os, sys, datetime, subprocess

root = sys.argv[1] if len(sys.argv) > 1 else "results/bench"
ours_file = sorted(glob.glob(os.path.join(root, "ours-h200", "promptintern-all-*.json")))[-1]
ours = json.load(open(ours_file))
peer = []
for log in sorted(glob.glob(os.path.join(root, "peer-h200", "*.log"))):
    for line in open(log):
        line = line.strip()
        if line.startswith("{") and '"kind"' in line:
            peer.append(json.loads(line))

def peer_row(kind, compiled, **match):
    for r in peer:
        if r["kind"] == kind and r["compiled"] == compiled and all(r.get(k) == v for k, v in match.items()):
            return r
    return None

rows = []
for r in ours["results"]:
    if "TokensPerSecond" in r:
        for compiled in (False, True):
            p = peer_row("train", compiled, model=r["Model"], lora=r["Lora"])
            rows.append(dict(kind="train", model=r["Model"], lora=r["Lora"], peer="compile" if compiled else "eager",
                             ours_tokens_per_s=r["TokensPerSecond"], peer_tokens_per_s=p and p["tokens_per_s"],
                             ours_mfu=r.get("Mfu"), peer_mfu=p and p.get("mfu"),
                             ratio=p and round(r["TokensPerSecond"] / p["tokens_per_s"], 3)))
    else:
        for compiled in (False, True):
            p = peer_row("generate", compiled, model=r["Model"], prompt_tokens=r["PromptTokens"])
            rows.append(dict(kind="generate", model=r["Model"], prompt_tokens=r["PromptTokens"], new_tokens=r["NewTokens"],
                             peer="compile" if compiled else "eager", ours_ms=r["MedianMs"], peer_ms=p and p["median_ms"],
                             ratio=p and round(r["MedianMs"] / p["median_ms"], 3)))

def attention_order():
    # Recorded by `bench` itself since the fifth session; older runs carry a note of what their script exported.
    if "torch_env" in ours["environment"]:
        return ours["environment"]["torch_env"] or "PyTorch default (no TORCH_* variable set)"
    note = os.path.join(root, "ours-h200", "torch_env.txt")
    return (open(note).read().strip() + " (not recorded by the run; from its script)") if os.path.exists(note) else "not recorded"

meta = dict(source_ours=os.path.relpath(ours_file, root), environment=ours["environment"],
            bundle_commit=open(os.path.join(root, "ours-h200", "BUNDLE_COMMIT")).read().strip(),
            device=open(os.path.join(root, "ours-h200", "device.txt")).read().strip(),
            written_utc=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            attention=attention_order(),
            note="ours: TorchSharp 0.107, bf16 weights AND optimizer state (no autocast in TorchSharp), AdamW unfused; "
                 "peer: fp32 weights under bf16 autocast, fused AdamW. Same card, same machine.")
json.dump(dict(meta=meta, rows=rows), open(os.path.join(root, "ratios.json"), "w"), indent=2)
with open(os.path.join(root, "ratios.md"), "w") as f:
    f.write(f"# Our GPU trainer and generator vs the peer ({meta['device']})\n\n{meta['note']} Attention order: {meta['attention']}.\n\n")
    f.write("| kind | model | LoRA / prompt | peer | ours | peer value | ours/peer |\n|---|---|---|---|---|---|---|\n")
    for r in rows:
        if r["kind"] == "train":
            f.write(f"| train tok/s | {r['model']} | {'LoRA r16 q,v' if r['lora'] else 'full FT'} | {r['peer']} | {r['ours_tokens_per_s']:.0f} | {r['peer_tokens_per_s'] or 'n/a'} | {r['ratio'] or 'n/a'} |\n")
        else:
            f.write(f"| decode ms ({r['new_tokens']} new) | {r['model']} | {r['prompt_tokens']} tokens | {r['peer']} | {r['ours_ms']} | {r['peer_ms'] or 'n/a'} | {r['ratio'] or 'n/a'} |\n")
    f.write(f"\nTraining: ratio > 1 means ours is faster. Decoding: ratio < 1 means ours is faster. Ours from bundle commit {meta['bundle_commit']}; written {meta['written_utc']} by bench/ratios.py.\n")
md = open(os.path.join(root, "ratios.md")).read()
print(md)
readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md")
if os.path.exists(readme):  # the README's benchmark section is this table, never typed by hand
    text = open(readme).read()
    b, e = text.find("<!-- bench:begin -->"), text.find("<!-- bench:end -->")
    if 0 <= b < e:
        body = md.split("\n", 2)[2].strip()  # drop the title line
        open(readme, "w").write(text[:b + len("<!-- bench:begin -->")] + "\n" + body + "\n" + text[e:])
