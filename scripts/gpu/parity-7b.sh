#!/usr/bin/env bash
# The Llama-2-7B-shaped parity check on the GPU: transformers writes a random bf16 checkpoint (sharded, with its index)
# and its bf16 and fp32 reference (scripts/gpu/parity-7b.py), then the kit loads it on cuda in bf16 and compares
# (promptintern model compare) while nvidia-smi samples the GPU's memory every 100 ms.
# Usage (device machine, repository root, the bundle carried as for scripts/gpu/run.sh): scripts/gpu/parity-7b.sh OUT_DIR [parity-7b.py options]
#   then here: copy OUT_DIR/llama2-7b-shape-bf16.{json,md} and gpu-memory-poll.json to results/parity/
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?usage: parity-7b.sh OUT_DIR [options]}"; shift
work="${PARITY_7B_DIR:-/tmp/parity-7b}"   # about 13.5 GB of checkpoint: never under OUT
mkdir -p "$work" "$out"
python3 "$root/scripts/gpu/parity-7b.py" "$work/llama2-7b-shape" "$work/reference" \
  "$root/tests/fixtures/hf-parity/tokenizers/sentencepiece-llama2" "$@"
nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$work/gpu-memory.log" &
poll=$!
rc=0
"$root/scripts/gpu/run.sh" model compare --model "$work/llama2-7b-shape" --reference "$work/reference" \
  --device cuda --dtype bfloat16 --out "$out" --name llama2-7b-shape-bf16 || rc=$?
kill "$poll" 2>/dev/null || true
python3 - "$work/gpu-memory.log" "$out/gpu-memory-poll.json" <<'PY'
import json, sys, datetime, platform
mib = [int(l) for l in open(sys.argv[1]) if l.strip().isdigit()]
json.dump({"written_by": "scripts/gpu/parity-7b.sh", "what": "GPU memory in use while `model compare` ran (nvidia-smi, every 100 ms, CUDA context included)",
           "samples": len(mib), "peak_mib": max(mib, default=None), "first_mib": mib[0] if mib else None,
           "machine": platform.node(), "date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")},
          open(sys.argv[2], "w"), indent=1)
PY
cp "$work/reference.json" "$out/llama2-7b-shape-reference.json"
exit "$rc"
