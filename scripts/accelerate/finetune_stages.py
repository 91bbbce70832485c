#!/usr/bin/env python3
"""Fine-tunes a Hugging Face causal LM on the kit's exported staged curriculum with transformers + PEFT under accelerate.

Input: a folder written by `promptintern curriculum --format trl` (one {"prompt","completion"} JSONL per stage and
summary.json with the stage order and epochs). Stage t trains the LoRA adapter that stage t-1 left, as the kit's own
progressive trainer does. Examples are built as the kit builds them: BOS (when the tokenizer takes one, see below),
the prompt's ids (its start dropped when too long), the completion's ids and EOS; the loss counts the completion only.
Each stage gets its own warm-up and cosine decay to a tenth of the peak rate; outside DeepSpeed its AdamW moments start
from zero as in the kit.

One GPU, several GPUs or DeepSpeed is accelerate's configuration, not this script's:
  accelerate launch --config_file scripts/accelerate/one-gpu.yaml scripts/accelerate/finetune_stages.py \
      --model data/models/tiny --curriculum runs/curriculum --out runs/accelerate
Writes OUT/stage-N/adapter (PEFT), OUT/adapter (the last stage's) and OUT/train_log.json (config, versions, machine,
date, loss per stage). `promptintern generate --model BASE --adapter OUT/adapter --task T --predictions P` then
`promptintern eval` score it with the kit.
"""
import argparse, datetime, json, math, os, platform, random, subprocess, sys, time

import torch
from torch.utils.data import DataLoader

import accelerate
import peft
import transformers
from accelerate import Accelerator
from accelerate.utils import DistributedType, set_seed
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer

KIT_BOS = "<|bos|>"  # the kit's own tokenizers: its models are trained with BOS first


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="Hugging Face checkpoint folder (config.json, safetensors, tokenizer.json)")
    ap.add_argument("--curriculum", required=True, help="folder of `promptintern curriculum --format trl` (summary.json + stage files)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--lora-r", type=int, default=8)
    ap.add_argument("--lora-alpha", type=float, default=16)
    ap.add_argument("--lora-dropout", type=float, default=0.05)
    ap.add_argument("--target-modules", default="q_proj,v_proj", help="comma-separated module names or all-linear")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=10, help="warm-up steps per stage")
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--batch", type=int, default=8, help="examples per micro-batch per process")
    ap.add_argument("--grad-accum", type=int, default=1)
    ap.add_argument("--max-seq", type=int, default=512)
    ap.add_argument("--epochs-scale", type=float, default=1.0, help="multiplies every stage's epochs from summary.json")
    ap.add_argument("--dtype", default="auto", choices=["auto", "float32", "bfloat16"], help="dtype of the frozen base weights")
    ap.add_argument("--gradient-checkpointing", action="store_true")
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--log-interval", type=int, default=10)
    return ap.parse_args()


def fail(msg):
    print(f"finetune_stages: {msg}", file=sys.stderr, flush=True)
    sys.exit(2)


def read_stages(folder):
    summary_path = os.path.join(folder, "summary.json")
    if not os.path.exists(summary_path):
        fail(f"{summary_path} not found: export the curriculum with `promptintern curriculum --format trl --out {folder}`")
    summary = json.load(open(summary_path, encoding="utf-8"))
    if summary.get("format") != "trl":
        fail(f"{summary_path}: field 'format' is {summary.get('format')!r}; export with --format trl")
    stages = []
    for s in summary["stages"]:
        path = os.path.join(folder, s["file"])
        rows = []
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    fail(f"{path}:{n}: malformed JSON ({e})")
                if not isinstance(row.get("prompt"), str) or not isinstance(row.get("completion"), str):
                    fail(f"{path}:{n}: field 'prompt'/'completion' missing or not a string")
                rows.append((row["prompt"], row["completion"].strip()))
        stages.append({"name": s["name"], "file": s["file"], "epochs": float(s["epochs"]), "rows": rows})
    return summary, stages


def bos_prefix(tok):
    """BOS first when transformers' tokenizer adds it itself, or for the kit's own tokenizer (the kit's rule)."""
    if tok.bos_token_id is None:
        return []
    adds = tok("a", add_special_tokens=True)["input_ids"][:1] == [tok.bos_token_id]
    return [tok.bos_token_id] if adds or tok.bos_token == KIT_BOS else []


def encode(rows, tok, bos, eos, max_len):
    """The kit's SupervisedBatches layout: [BOS] prompt[-keep:] completion EOS, completion-only labels."""
    out = []
    for prompt, completion in rows:
        p = tok(prompt, add_special_tokens=False)["input_ids"]
        c = tok(completion, add_special_tokens=False)["input_ids"] + [eos]
        if len(c) >= max_len:
            c = c[: max_len - 1]
        keep = max(0, min(len(p), max_len - len(bos) - len(c)))
        ids = bos + (p[len(p) - keep:] if keep else []) + c
        out.append((ids, len(bos) + keep))
    return out


def collate(pad_id):
    def run(batch):
        t = max(len(ids) for ids, _ in batch)
        input_ids = torch.full((len(batch), t), pad_id, dtype=torch.long)
        labels = torch.full((len(batch), t), -100, dtype=torch.long)
        mask = torch.zeros((len(batch), t), dtype=torch.long)
        for i, (ids, prompt_len) in enumerate(batch):
            input_ids[i, : len(ids)] = torch.tensor(ids)
            labels[i, prompt_len: len(ids)] = torch.tensor(ids[prompt_len:])
            mask[i, : len(ids)] = 1
        return {"input_ids": input_ids, "labels": labels, "attention_mask": mask}
    return run


def lr_at(step, steps, peak, warmup):
    """Linear warm-up, then cosine to a tenth of the peak (the kit's schedule)."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return peak / 10 + (peak - peak / 10) * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


def main():
    args = parse_args()
    accelerator = Accelerator(gradient_accumulation_steps=args.grad_accum)
    set_seed(args.seed)
    say = accelerator.print
    summary, stages = read_stages(args.curriculum)
    tok = AutoTokenizer.from_pretrained(args.model)
    eos = tok.eos_token_id
    if eos is None:
        fail(f"{args.model}: the tokenizer has no eos_token")
    pad = tok.pad_token_id if tok.pad_token_id is not None else eos
    bos = bos_prefix(tok)
    dtype = {"auto": "auto", "float32": torch.float32, "bfloat16": torch.bfloat16}[args.dtype]
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=dtype)
    if args.gradient_checkpointing:
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()
    targets = "all-linear" if args.target_modules == "all-linear" else args.target_modules.split(",")
    model = get_peft_model(model, LoraConfig(r=args.lora_r, lora_alpha=args.lora_alpha, lora_dropout=args.lora_dropout,
                                             target_modules=targets, bias="none", task_type="CAUSAL_LM"))
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    say(f"finetune_stages: {len(stages)} stages from {args.curriculum}; base {args.model}; LoRA r={args.lora_r} on {targets}, "
        f"{trainable:,} trainable parameters; BOS first: {bool(bos)}; {accelerator.state.distributed_type}, "
        f"{accelerator.num_processes} process(es), mixed precision {accelerator.mixed_precision}")
    decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=args.lr, betas=(0.9, 0.95))
    deepspeed = accelerator.distributed_type == DistributedType.DEEPSPEED
    if deepspeed:   # the stages' dataloaders come later, so DeepSpeed is told the micro-batch here
        accelerator.state.deepspeed_plugin.deepspeed_config["train_micro_batch_size_per_gpu"] = args.batch
    model, optimizer = accelerator.prepare(model, optimizer)
    log = {"written_by": "scripts/accelerate/finetune_stages.py", "config": vars(args), "curriculum": {k: summary.get(k) for k in ("task", "plan", "format", "compressor", "retriever")},
           "bos_first": bool(bos), "trainable_parameters": trainable,
           "accelerate": {"distributed_type": str(accelerator.distributed_type), "num_processes": accelerator.num_processes,
                          "mixed_precision": accelerator.mixed_precision},
           "versions": {"python": platform.python_version(), "torch": torch.__version__, "transformers": transformers.__version__,
                        "peft": peft.__version__, "accelerate": accelerate.__version__},
           "machine": platform.node(), "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
           "commit": commit(), "finished": False, "date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "stages": []}

    per_step = args.batch * args.grad_accum * accelerator.num_processes
    for s, stage in enumerate(stages):
        examples = encode(stage["rows"], tok, bos, eos, args.max_seq)
        epochs = stage["epochs"] * args.epochs_scale
        steps = max(1, math.ceil(len(examples) * epochs / per_step))   # the kit's StepsFor
        loader = accelerator.prepare(DataLoader(examples, batch_size=args.batch, shuffle=True, collate_fn=collate(pad),
                                                generator=torch.Generator().manual_seed(args.seed + s)))
        if not deepspeed:   # a fresh AdamW per stage, as the kit's trainer starts each stage
            optimizer.optimizer.state.clear()
        model.train()
        started, losses, tokens, step, it = time.time(), [], 0, 0, iter(loader)
        while step < steps:
            try:
                batch = next(it)
            except StopIteration:
                it = iter(loader)
                batch = next(it)
            with accelerator.accumulate(model):
                loss = model(**batch).loss
                accelerator.backward(loss)
                if accelerator.sync_gradients:
                    accelerator.clip_grad_norm_(model.parameters(), 1.0)
                for g in optimizer.param_groups:
                    g["lr"] = lr_at(step, steps, args.lr, args.warmup)
                optimizer.step()
                optimizer.zero_grad()
            tokens += int(batch["attention_mask"].sum()) * accelerator.num_processes
            if accelerator.sync_gradients:
                losses.append(accelerator.gather(loss.detach()).mean().item())
                step += 1
                if step % args.log_interval == 0 or step == steps:
                    say(f"  {stage['name']} step {step}/{steps} loss {losses[-1]:.4f} lr {optimizer.param_groups[0]['lr']:.2e}")
        seconds = time.time() - started
        folder = os.path.join(args.out, f"stage-{s + 1}", "adapter")
        save(accelerator, model, folder)
        tail = losses[-min(10, len(losses)):]
        log["stages"].append({"stage": s + 1, "name": stage["name"], "examples": len(examples), "epochs": epochs, "steps": steps,
                              "first_loss": losses[0], "final_loss": sum(tail) / len(tail), "seconds": round(seconds, 2),
                              "tokens": tokens, "tokens_per_second": round(tokens / seconds, 1), "adapter": os.path.relpath(folder, args.out)})
        say(f"stage {s + 1}/{len(stages)} {stage['name']}: {len(examples)} examples, {steps} steps, loss {losses[0]:.3f} -> "
            f"{sum(tail) / len(tail):.3f}, {seconds:.1f} s, adapter in {folder}")
        write_log(accelerator, log, args.out)   # after every stage: a run cut short still says what it trained
    save(accelerator, model, os.path.join(args.out, "adapter"))
    log["finished"] = True
    write_log(accelerator, log, args.out)
    say(f"wrote {os.path.join(args.out, 'adapter')} and train_log.json")
    accelerator.end_training()


def write_log(accelerator, log, out):
    if accelerator.is_main_process:
        with open(os.path.join(out, "train_log.json"), "w") as f:
            json.dump(log, f, indent=1)


def save(accelerator, model, folder):
    """The adapter as PEFT writes it (adapter_config.json + adapter_model.safetensors); gathered first under ZeRO-3."""
    accelerator.wait_for_everyone()
    state = accelerator.get_state_dict(model)
    accelerator.unwrap_model(model).save_pretrained(folder, state_dict=state, is_main_process=accelerator.is_main_process,
                                                    save_function=accelerator.save)


def commit():
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except Exception:
        return os.environ.get("PROMPTINTERN_COMMIT")


if __name__ == "__main__":
    main()
