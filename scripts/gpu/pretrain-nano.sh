#!/usr/bin/env bash
# Device-machine step shared by reproduce-full.sh and latency-diag.sh: pretrains the nano base into <out-dir> on the
# corpus carried as artifacts/corpus/corpus.jsonl.xz, bf16, 1,200 steps of 8 × 4,096 tokens by default
# (NANO_STEPS, NANO_BATCH, NANO_SEQ, NANO_WARMUP; NANO_CORPUS another carried corpus, e.g. the larger one build-bundle.sh
# writes with CORPUS_PACKAGE_ROOTS). The log goes to stdout; `pretrain` records the base's held-out perplexity in
# <out-dir>/model/heldout.json.
# Deterministic kernels by default (NANO_DETERMINISTIC=1): with the default ones every machine pretrained a different
# base, so results of two calls never shared a table; with them, machines of the same GPU model and software stack
# agree (two fresh H100s gave byte-identical weights; the base's sha256 names its folder in reproduce-full.sh). Should a
# kernel lack a deterministic variant there, the run stops at once and starts over with the default kernels.
# Usage (device machine, repository root): scripts/gpu/pretrain-nano.sh <out-dir>
set -euo pipefail
out="${1:?usage: scripts/gpu/pretrain-nano.sh <out-dir>}"
mkdir -p /tmp/pi && xz -dc "${NANO_CORPUS:-artifacts/corpus/corpus.jsonl.xz}" > /tmp/pi/corpus.jsonl
pretrain() {
  scripts/gpu/run.sh pretrain --corpus /tmp/pi/corpus.jsonl --config nano --tokenizer data/tokenizer --out "$out" \
    --steps "${NANO_STEPS:-1200}" --batch "${NANO_BATCH:-8}" --seq "${NANO_SEQ:-4096}" --lr 0.0015 --warmup "${NANO_WARMUP:-100}" \
    --log-interval 100 --save-interval 600 --device cuda --precision bf16 "$@"
}
if [[ "${NANO_DETERMINISTIC:-1}" == 1 ]]; then
  if CUBLAS_WORKSPACE_CONFIG=:4096:8 pretrain --deterministic; then exit 0; fi
  echo "pretrain-nano: deterministic pretraining failed (above); starting over with the default kernels" >&2
  rm -rf "$out"
fi
pretrain
