#!/usr/bin/env bash
# Device-machine job: the b=1 latency A/B of results/gpu-logs/session3 (README there). Pretrains a short nano base
# (200 steps, no need for a good model), then runs NL2Formula full-prompt, query-only and PromptIntern on 64 dev rows
# twice, each in its own process: with cuDNN attention first (TORCH_CUDNN_SDPA_DEPRIORITIZED=0, the device PyTorch's
# default) and with flash attention first (=1, what run.sh now sets). If per-shape cuDNN plan builds are the cause,
# query-only and PromptIntern (same prompts, same decode length) agree at b=1 under =1 and differ tenfold under =0.
# Writes $OUT/summary.txt, the logs and $OUT/diag.tar.gz (the metrics). About 5 minutes on an H200.
# Usage (device machine, repository root, bundle and corpus carried): scripts/gpu/latency-diag.sh
set -uo pipefail
NANO_STEPS=200 NANO_WARMUP=20 scripts/gpu/pretrain-nano.sh artifacts/models/diag > "$OUT/pretrain.log" 2>&1
for dep in 0 1; do
  TORCH_CUDNN_SDPA_DEPRIORITIZED=$dep timeout 200 scripts/gpu/run.sh reproduce --preset full --task nl2formula \
    --methods full-prompt,query-only,promptintern --eval-rows 64 --model artifacts/models/diag/model \
    --out "artifacts/diag-sdpa-$dep" </dev/null > "$OUT/repro-sdpa-$dep.log" 2>&1
done
python3 - <<'PY' | tee "$OUT/summary.txt"
import glob, json
for f in sorted(glob.glob("artifacts/diag-sdpa-*/experiments/*/metrics.json")):
    m = json.load(open(f)); r = m["result"]
    print(f.split("/")[1], r["method"], "b=1 median", round(r["latency_ms_median"], 1), "p90", round(r["latency_ms_p90"], 1),
          "batched ms/query", round(r["batched_ms_per_query"], 1), "train s", round(r["train_seconds"], 1))
PY
tar -czf "$OUT/diag.tar.gz" artifacts/diag-sdpa-0/experiments artifacts/diag-sdpa-1/experiments
