#!/usr/bin/env bash
# Runs the GPU bundle's verbs on THIS machine's CPU (libtorch from the NuGet cache) on tiny inputs, to check that the
# assemblies build-bundle.sh leaves behind are not needed by pretrain, reproduce (all three tasks, every baseline, and
# with deterministic fine-tuning), generate and bench (train and generate; bf16-mixed and activation checkpointing).
# Usage: scripts/gpu/bundle-smoke.sh   (after scripts/gpu/build-bundle.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
native=$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/libtorch-cpu-linux-x64/*/runtimes/linux-x64/native | head -1)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
tar -C "$work" -xJf "$root/artifacts/gpu/promptintern-linux-x64.tar.xz"
cli() { (cd "$root" && LD_LIBRARY_PATH="$native" "$work/promptintern/PromptIntern.Cli" "$@"); }
python3 -c "import json,sys; [print(json.dumps({\"text\": json.loads(l)[\"query\"] + \"\\n\" + json.loads(l)[\"answer\"]})) for l in open(sys.argv[1])]" "$root/data/nl2bash/train.jsonl" > "$work/corpus.jsonl"
cli pretrain --corpus "$work/corpus.jsonl" --config micro --tokenizer data/tokenizer --out "$work/micro" --steps 3 \
  --batch 2 --seq 64 --device cpu --precision fp32 --deterministic
cli generate --model data/models/tiny --prompt "### Query:\nlist files\n### Answer:\n" --max-new-tokens 4 --device cpu
for task in nl2bash mbpp nl2formula; do
  cli reproduce --preset quick --task "$task" --methods full-prompt,llmlingua,longllmlingua,llmlingua2,query-only,promptintern \
    --train-rows 6 --eval-rows 2 --epochs 0.5 --model data/models/tiny --out "$work/ws"
done
cli reproduce --preset quick --task nl2bash --methods promptintern --train-rows 6 --eval-rows 2 --epochs 0.5 \
  --model data/models/tiny --out "$work/ws-deterministic" --deterministic
grep -q '"deterministic_training": true' "$work"/ws-deterministic/experiments/quick-nl2bash-promptintern-*/config.json
cli bench all --config micro --seq 32 --batch 2 --steps 2 --warmup 1 --prompt-lengths 16 --new-tokens 2 --reps 1 --precision fp32 \
  --device cpu --out-dir "$work/bench"
cli bench train --config micro --seq 32 --batch 2 --steps 1 --warmup 1 --lora none,all --checkpointing --precision bf16-mixed \
  --device cpu --out-dir "$work/bench"
grep -q '"commit"' "$work"/ws/experiments/quick-nl2bash-promptintern-*/config.json
echo "bundle smoke test passed: $(grep -ho '"commit": "[^"]*"' "$work"/ws/experiments/quick-nl2bash-promptintern-*/config.json)"
