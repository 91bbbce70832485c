#!/usr/bin/env bash
# Device-machine job for the study of when internalization pays: reproduce-full.sh with grid-when-it-pays.txt, after
# seeding its workspace with the committed NL2Bash rows of nano bases: an H100's deterministic pretrain reproduces its
# base at the same code, so the rows of that base are reused instead of retrained; rows of any other base are not matched.
# Each call also works, in the background on the same GPU, on the order-extraction study with the tiny model (the
# sizes of the CPU table and up: 50, 100, 200 and all 400 rows × full prompt, query-only, PromptIntern and
# final-stage-full × 3 seeds, all 60 dev rows; STUDY=0 skips it). The tiny model and the nano base leave the GPU
# mostly idle, so the two share it; their `train s` columns are timed while sharing. Both resume on a warm machine:
# repeat the call until reproduce.log and study.log show nothing left. $OUT gets results.tar.gz (experiment folders,
# to unpack into results/experiments), study.tar.gz (the study folder, for results/when-it-pays/order-extraction-gpu)
# and logs.tar.gz (device, pretraining log and metrics, the base's sha256 and held-out perplexity, both logs).
# GRID names another grid file (scripts/gpu/stronger-base.sh runs its own this way).
# Usage: REPRO_SECONDS=540 [STUDY=0] [GRID=file] scripts/gpu/when-it-pays.sh
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mkdir -p artifacts/gpu-workspace/experiments
for d in results/experiments/full-nl2bash-*-nano4k-*; do
  [[ -f "$d/metrics.json" && ! -e "artifacts/gpu-workspace/experiments/$(basename "$d")" ]] && cp -r "$d" artifacts/gpu-workspace/experiments/
done
# Unpack the bundle once, before two processes would race to do it.
scripts/gpu/run.sh --help >/dev/null
study=()
if [[ "${STUDY:-1}" == 1 ]]; then
  ( timeout $(( ${REPRO_SECONDS:-480} - 20 )) scripts/gpu/run.sh study --task-file examples/order-extraction/task.json \
      --sizes 50,100,200,all --seeds 3 --methods full-prompt,query-only,promptintern,final-stage-full --epochs 3 \
      --eval-rows 60 --device cuda --out artifacts/study/order-extraction-gpu --runs artifacts/study/runs </dev/null
    echo "study exit $?" ) > "$OUT/study.log" 2>&1 &
  study=($!)
fi
scripts/gpu/reproduce-full.sh "${GRID:-scripts/gpu/grid-when-it-pays.txt}"
[[ ${#study[@]} -gt 0 ]] && wait "${study[0]}"
[[ -d artifacts/study/order-extraction-gpu ]] && tar -czf "$OUT/study.tar.gz" -C artifacts/study order-extraction-gpu
logs=(); for f in device.txt pretrain-nano.log pretrain-nano-metrics.jsonl model-sha256.txt heldout.json reproduce.log study.log; do
  [[ -f "$OUT/$f" ]] && logs+=("$f"); done
tar -czf "$OUT/logs.tar.gz" -C "$OUT" "${logs[@]}" && (cd "$OUT" && rm -f "${logs[@]}")
