#!/usr/bin/env bash
# Device-machine step shared by reproduce-full.sh and latency-diag.sh: pretrains the nano base into <out-dir> on the
# corpus carried as artifacts/corpus/corpus.jsonl.xz, bf16, 1,200 steps of 8 × 4,096 tokens by default
# (NANO_STEPS, NANO_BATCH, NANO_SEQ, NANO_WARMUP). The log goes to stdout.
# Usage (device machine, repository root): scripts/gpu/pretrain-nano.sh <out-dir>
set -euo pipefail
out="${1:?usage: scripts/gpu/pretrain-nano.sh <out-dir>}"
mkdir -p /tmp/pi && xz -dc artifacts/corpus/corpus.jsonl.xz > /tmp/pi/corpus.jsonl
exec scripts/gpu/run.sh pretrain --corpus /tmp/pi/corpus.jsonl --config nano --tokenizer data/tokenizer --out "$out" \
  --steps "${NANO_STEPS:-1200}" --batch "${NANO_BATCH:-8}" --seq "${NANO_SEQ:-4096}" --lr 0.0015 --warmup "${NANO_WARMUP:-100}" \
  --log-interval 100 --save-interval 600 --device cuda --precision bf16
