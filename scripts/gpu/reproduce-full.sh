#!/usr/bin/env bash
# Device-machine job: the full-preset reproduction on the GPU. Pretrains the nano base model first unless this warm
# machine still holds it from an earlier call (artifacts/models/$NANO_NAME-<sha8>, default nano4k-<sha8>: results are
# labelled by this folder name, so a base with other weights never shares result folders with another) — on
# 4,096-token sequences (8 × 4,096 tokens a step, as many tokens as 32 × 1,024), so that the full
# prompts the fine-tuning sees (up to 4,096 tokens) use positions the base saw in pretraining — then works down a grid
# file (default scripts/gpu/grid-full.txt: "task methods first-seed seeds [train-rows]" per line, in priority order) with
# `reproduce --preset full --grid` until REPRO_SECONDS (default 480) have passed, and returns the workspace's experiment
# folders (artifacts/gpu-workspace/experiments, to unpack into results/experiments) as $OUT/results.tar.gz plus the logs.
# Finished experiments are skipped and interrupted training resumes from the workspace, so on a warm machine the same
# call can simply be repeated until the grid is done.
# REPRO_DETERMINISTIC=1 fine-tunes with deterministic kernels too (`reproduce --deterministic`; its own experiment ids).
# Usage: REPRO_SECONDS=540 [REPRO_DETERMINISTIC=1] scripts/gpu/reproduce-full.sh [grid-file]
set -uo pipefail
grid="${1:-scripts/gpu/grid-full.txt}"
export PYTHONUNBUFFERED=1 NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
start=$(date +%s); deadline=$(( start + ${REPRO_SECONDS:-480} ))
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$OUT/device.txt"
nano=artifacts/models/${NANO_NAME:-nano4k}
# A base renamed by the check below on an earlier call of this warm machine.
for d in "$nano"-*/; do [[ -f "${d}model/config.json" ]] && nano="${d%/}"; done
if [[ ! -f "$nano/model/config.json" ]]; then
  scripts/gpu/pretrain-nano.sh "$nano" 2>&1 | tee "$OUT/pretrain-nano.log"
fi
cp "$nano/logs/metrics.jsonl" "$OUT/pretrain-nano-metrics.jsonl"
# A fresh machine pretrains again; with deterministic kernels two H100s gave the same bytes, but another GPU model or
# a fallback to the default kernels gives a different base. Results name the base by its folder, so the folder always
# carries the first 8 hex digits of the weights' sha256 (nano4k-<sha8>): rows of two bases never share a label, and
# finished experiments carried in the workspace are reused only on the same weights.
sha=$(sha256sum "$nano/model/model.safetensors" | cut -c1-64)
if [[ "$nano" != *"-${sha:0:8}" ]]; then mv "$nano" "$nano-${sha:0:8}" && nano="$nano-${sha:0:8}"; fi
echo "base $nano sha256 $sha" | tee "$OUT/model-sha256.txt"
cp "$nano/model/heldout.json" "$OUT/heldout.json" 2>/dev/null  # the base's held-out perplexity, written by `pretrain`
# Under artifacts/ (ignored): between warm calls the device keeps ignored folders, but deletes untracked ones.
mkdir -p artifacts/gpu-workspace
deterministic=()
if [[ "${REPRO_DETERMINISTIC:-0}" == 1 ]]; then deterministic=(--deterministic); export CUBLAS_WORKSPACE_CONFIG=:4096:8; fi
# One call works down the grid (`reproduce --grid`); it starts no new line in the last 30 s, and the timeout stops it in
# time for the results to travel back (each finished experiment is already on disk).
left=$(( deadline - $(date +%s) ))
echo "== $(date -u +%H:%M:%S) grid $grid (${left}s left)" | tee -a "$OUT/reproduce.log"
timeout "$left" scripts/gpu/run.sh reproduce --preset full --grid "$grid" --stop-after $(( left > 30 ? left - 30 : 0 )) \
  --model "$nano/model" --out artifacts/gpu-workspace "${deterministic[@]}" </dev/null 2>&1 | tee -a "$OUT/reproduce.log" >/dev/null
echo "== $(date -u +%H:%M:%S) stop after $(( $(date +%s) - start ))s" | tee -a "$OUT/reproduce.log"
tar -czf "$OUT/results.tar.gz" -C artifacts/gpu-workspace experiments
