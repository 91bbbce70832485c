#!/usr/bin/env bash
# Device-machine job: the full-preset reproduction on the GPU. Pretrains the nano base model first unless this warm
# machine still holds it from an earlier call (artifacts/models/nano), then runs `reproduce --preset full` for the
# given tasks and methods, and returns results/ as $OUT/results.tar.gz (plus logs).
# Usage: scripts/gpu/reproduce-full.sh "nl2bash mbpp" "full-prompt,promptintern,..." [extra reproduce options]
set -uo pipefail
tasks="$1"; methods="$2"; shift 2
export PYTHONUNBUFFERED=1 NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$OUT/device.txt"
nano=artifacts/models/nano
if [[ ! -f "$nano/model/config.json" ]]; then
  mkdir -p /tmp/pi && xz -dc artifacts/corpus/corpus.jsonl.xz > /tmp/pi/corpus.jsonl
  scripts/gpu/run.sh pretrain --corpus /tmp/pi/corpus.jsonl --config nano --tokenizer data/tokenizer --out "$nano" \
    --steps "${NANO_STEPS:-1200}" --batch 32 --seq 1024 --lr 0.0015 --warmup 100 --log-interval 100 --save-interval 600 \
    --device cuda --precision bf16 2>&1 | tee "$OUT/pretrain-nano.log"
fi
cp "$nano/logs/metrics.jsonl" "$OUT/pretrain-nano-metrics.jsonl"
mkdir -p results-gpu
# Stop the grid in time for the results to travel back (each finished experiment is already on disk).
deadline=$(( $(date +%s) + ${REPRO_SECONDS:-480} ))
for t in $tasks; do
  left=$(( deadline - $(date +%s) )); (( left > 30 )) || break
  timeout "$left" scripts/gpu/run.sh reproduce --preset full --task "$t" --methods "$methods" --model "$nano/model" \
    --results results-gpu --runs artifacts/runs "$@" 2>&1 | tee -a "$OUT/reproduce.log"
done
tar -czf "$OUT/results.tar.gz" results-gpu
