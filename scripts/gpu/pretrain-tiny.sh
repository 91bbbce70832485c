#!/usr/bin/env bash
# Device-machine job: pretrains the shipped tiny base model (data/models/tiny) on the corpus carried as
# artifacts/corpus/corpus.jsonl.xz, and returns it as $OUT/tiny.tar.gz plus the training log.
# Usage (device machine, repository root): scripts/gpu/pretrain-tiny.sh [steps]
set -euo pipefail
steps="${1:-3000}"
mkdir -p /tmp/pi && xz -dc artifacts/corpus/corpus.jsonl.xz > /tmp/pi/corpus.jsonl
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$OUT/device.txt"
scripts/gpu/run.sh pretrain --corpus /tmp/pi/corpus.jsonl --config tiny --tokenizer data/tokenizer --out /tmp/pi/tiny \
  --steps "$steps" --batch 64 --seq 512 --lr 0.002 --warmup 100 --log-interval 100 --save-interval 1000 \
  --device cuda --precision fp32 2>&1 | tee "$OUT/pretrain-tiny.log"
cp /tmp/pi/tiny/logs/metrics.jsonl "$OUT/pretrain-tiny-metrics.jsonl"
cp /tmp/pi/tiny/train_config.json "$OUT/pretrain-tiny-config.json"
tar -C /tmp/pi/tiny -czf "$OUT/tiny.tar.gz" model
