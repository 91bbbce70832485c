#!/usr/bin/env bash
# Device-machine job for the study of when internalization pays: reproduce-full.sh with grid-when-it-pays.txt, after
# seeding its workspace with the committed rows of the nano base an H100's deterministic pretrain reproduces
# (nano4k-d7529931), so those are reused instead of retrained. Rows of any other base are simply not matched.
# Two calls of ~540 s on a warm machine are expected to finish all but the last line (estimates in the grid file);
# repeat the call until reproduce.log shows nothing left. Then, on the device or back here, the order-extraction study
# on the GPU (the CPU grid's sizes, all seeds; seconds per cell there):
#   scripts/gpu/run.sh study --task-file examples/order-extraction/task.json --sizes 25,50,100,200,all --seeds 3 \
#     --methods full-prompt,query-only,promptintern,final-stage-full,equal-tokens-query-only --epochs 3 --eval-rows 60 \
#     --device cuda --out "$OUT/order-extraction-gpu" --runs artifacts/runs-study
# Usage: REPRO_SECONDS=540 scripts/gpu/when-it-pays.sh
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mkdir -p artifacts/gpu-workspace/experiments
for d in results/experiments/full-nl2bash-*-nano4k-d7529931-s133[789]-*; do
  [[ -f "$d/metrics.json" && ! -e "artifacts/gpu-workspace/experiments/$(basename "$d")" ]] && cp -r "$d" artifacts/gpu-workspace/experiments/
done
exec scripts/gpu/reproduce-full.sh scripts/gpu/grid-when-it-pays.txt
