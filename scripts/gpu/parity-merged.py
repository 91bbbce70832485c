#!/usr/bin/env python3
"""Checks checkpoints the kit wrote with `promptintern model merge` in transformers: each merged folder must give the
logits PEFT gives for base + adapter (references/peft-<adapter>.safetensors of the parity fixtures).
Usage: python3 scripts/gpu/parity-merged.py FIXTURES MERGED_DIR OUT_JSON   (MERGED_DIR holds one folder per adapter)
"""
import datetime, json, os, platform, sys, traceback

import torch
import transformers
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

fixtures, merged_root, out = sys.argv[1:4]
results = {"written_by": "scripts/gpu/parity-merged.py", "date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "machine": platform.node(), "torch": torch.__version__, "transformers": transformers.__version__,
           "device": "cpu (fp32, eager attention)", "merged": {}}
for name in sorted(os.listdir(merged_root)):
    try:
        model, info = AutoModelForCausalLM.from_pretrained(os.path.join(merged_root, name), dtype=torch.float32,
                                                           attn_implementation="eager", output_loading_info=True)
        missing = {k: v for k, v in info.items() if v and k in ("missing_keys", "unexpected_keys", "mismatched_keys")}
        ref = load_file(os.path.join(fixtures, "references", f"peft-{name}.safetensors"))
        with torch.no_grad():
            logits = model.eval()(ref["input_ids"].long()).logits.float()
        results["merged"][name] = {"max_abs_logit_diff_vs_peft": (logits - ref["logits"]).abs().max().item(), "loading_problems": missing}
    except Exception:
        results["merged"][name] = {"error": traceback.format_exc()}
with open(out, "w") as f:
    json.dump(results, f, indent=1)
print(json.dumps(results, indent=1))
