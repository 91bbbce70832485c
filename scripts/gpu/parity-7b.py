#!/usr/bin/env python3
"""Writes a Llama-2-7B-shaped checkpoint (random weights, bf16, sharded with model.safetensors.index.json) and transformers'
reference for it: logits on fixed inputs computed in bf16 on the GPU and in fp32 from the same weights (TF32 off), and
greedy tokens of both. `promptintern model compare` then holds the kit's bf16 run to this reference.

The tokenizer is the parity fixtures' SentencePiece-style one with filler tokens up to the 32,000 ids of Llama-2, so that
every id the model can emit decodes; prompts and inputs are token ids.
Usage: python3 scripts/gpu/parity-7b.py CHECKPOINT_DIR REFERENCE_PREFIX TOKENIZER_DIR [--layers N]
"""
import argparse, datetime, json, os, platform, shutil, sys, time

import torch
import transformers
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, LlamaConfig

ap = argparse.ArgumentParser()
ap.add_argument("checkpoint")
ap.add_argument("reference")
ap.add_argument("tokenizer", help="folder with the fixture tokenizer.json + tokenizer_config.json (sentencepiece-llama2)")
ap.add_argument("--layers", type=int, default=32)
ap.add_argument("--hidden", type=int, default=4096)
ap.add_argument("--heads", type=int, default=32)
ap.add_argument("--intermediate", type=int, default=11008)
ap.add_argument("--vocab", type=int, default=32000)
ap.add_argument("--batch", type=int, default=2)
ap.add_argument("--seq", type=int, default=64)
ap.add_argument("--new-tokens", type=int, default=32)
ap.add_argument("--shard-size", default="4GB")
ap.add_argument("--seed", type=int, default=0)
args = ap.parse_args()
started = time.time()
seconds = {}


def log(msg):
    print(f"[parity-7b +{time.time() - started:6.1f}s] {msg}", flush=True)


def phase(name, t0):
    seconds[name] = round(time.time() - t0, 2)
    log(f"{name}: {seconds[name]} s")


if not torch.cuda.is_available():
    sys.exit("parity-7b: no CUDA device; this check runs on the GPU machine")
dev = torch.device("cuda")
torch.manual_seed(args.seed)

# Llama-2-7B's config.json, in the layout this transformers writes (5.x: rope_parameters).
kw = dict(hidden_size=args.hidden, intermediate_size=args.intermediate, num_hidden_layers=args.layers,
          num_attention_heads=args.heads, num_key_value_heads=args.heads, vocab_size=args.vocab,
          max_position_embeddings=4096, rms_norm_eps=1e-5, tie_word_embeddings=False, bos_token_id=1, eos_token_id=2,
          initializer_range=0.02, attention_bias=False, mlp_bias=False)
if int(transformers.__version__.split(".")[0]) >= 5:
    kw["rope_parameters"] = {"rope_type": "default", "rope_theta": 10000.0}
else:
    kw["rope_theta"] = 10000.0
cfg = LlamaConfig(**kw)

t0 = time.time()
torch.set_default_dtype(torch.bfloat16)
with torch.device(dev):
    model = AutoModelForCausalLM.from_config(cfg)   # transformers' own init (normal, std 0.02), drawn on the GPU in bf16
torch.set_default_dtype(torch.float32)
model = model.to(torch.bfloat16).eval()
params = sum(p.numel() for p in model.parameters())
log(f"model: {params:,} parameters, dtype {next(model.parameters()).dtype}, GPU memory {torch.cuda.memory_allocated() / 2**30:.2f} GiB")
phase("init", t0)

t0 = time.time()
shutil.rmtree(args.checkpoint, ignore_errors=True)
model.save_pretrained(args.checkpoint, max_shard_size=args.shard_size)
shards = sorted(f for f in os.listdir(args.checkpoint) if f.endswith(".safetensors"))
if not os.path.exists(os.path.join(args.checkpoint, "model.safetensors.index.json")) or len(shards) < 2:
    sys.exit(f"parity-7b: expected a sharded checkpoint with an index, got {shards}")
# Tokenizer: the fixture's, its vocabulary filled up to the model's ids.
tok = json.load(open(os.path.join(args.tokenizer, "tokenizer.json"), encoding="utf-8"))
used = set(tok["model"]["vocab"].values()) | {a["id"] for a in tok["added_tokens"]}
for i in range(max(used) + 1, args.vocab):
    tok["model"]["vocab"][f"▁filler{i}"] = i
with open(os.path.join(args.checkpoint, "tokenizer.json"), "w", encoding="utf-8") as f:
    json.dump(tok, f, ensure_ascii=False)
shutil.copy(os.path.join(args.tokenizer, "tokenizer_config.json"), os.path.join(args.checkpoint, "tokenizer_config.json"))
size = sum(os.path.getsize(os.path.join(args.checkpoint, s)) for s in shards)
log(f"saved {len(shards)} shards, {size / 2**30:.2f} GiB, in {args.checkpoint}")
phase("save", t0)

gen = torch.Generator().manual_seed(7)
inputs = torch.randint(3, args.vocab, (args.batch, args.seq), generator=gen)
prompts = [torch.randint(3, args.vocab, (n,), generator=gen).tolist() for n in (1, 5, 11)]
model.generation_config.eos_token_id = None
model.generation_config.pad_token_id = 0


def reference():
    with torch.no_grad():
        logits = model(inputs.to(dev)).logits.float().cpu()
        greedy = [model.generate(torch.tensor([p], device=dev), max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens,
                                 do_sample=False)[0, len(p):].tolist() for p in prompts]
    return logits, greedy


t0 = time.time()
logits_bf16, greedy_bf16 = reference()
phase("reference_bf16", t0)

# The same weights in fp32 with fp32 matmuls: what the bf16 runs approximate.
t0 = time.time()
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
model = model.float()
logits_fp32, greedy_fp32 = reference()
phase("reference_fp32", t0)

diff = (logits_bf16 - logits_fp32).abs()
log(f"transformers bf16 vs fp32: max |dlogit| {diff.max().item():.4f}, mean {diff.mean().item():.5f}, logit std {logits_fp32.std().item():.3f}")
same = sum(next((k for k, (a, b) in enumerate(zip(x, y)) if a != b), len(x)) for x, y in zip(greedy_bf16, greedy_fp32))
log(f"transformers greedy bf16 = fp32 for {same}/{sum(map(len, greedy_bf16))} tokens")

save_file({"input_ids": inputs.contiguous(), "logits_fp32": logits_fp32.contiguous(), "logits_bf16": logits_bf16.contiguous()},
          args.reference + ".safetensors")
meta = {"written_by": "scripts/gpu/parity-7b.py", "date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": platform.node(), "gpu": torch.cuda.get_device_name(0), "python": platform.python_version(),
        "torch": torch.__version__, "transformers": transformers.__version__,
        "shape": f"Llama-2-7B shape: {args.layers} layers, hidden {args.hidden}, {args.heads} heads, MLP {args.intermediate}, vocab {args.vocab}",
        "parameters": params, "shards": len(shards), "checkpoint_bytes": size, "seed": args.seed,
        "attention": getattr(model.config, "_attn_implementation", None), "fp32_reference": "same bf16 weights upcast to fp32, TF32 off",
        "inputs": [args.batch, args.seq], "prompts": prompts, "greedy_bf16": greedy_bf16, "greedy_fp32": greedy_fp32,
        "seconds": seconds}
with open(args.reference + ".json", "w") as f:
    json.dump(meta, f, indent=1)
log(f"reference written: {args.reference}.safetensors / .json")
