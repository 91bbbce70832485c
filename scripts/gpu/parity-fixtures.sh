#!/usr/bin/env bash
# Writes the Hugging Face parity fixtures (tests/fixtures/hf-parity) with the device machine's transformers,
# tokenizers and PEFT, and packs them into one file under $OUT.
# Usage (device machine, repository root): scripts/gpu/parity-fixtures.sh [KIT_ADAPTER_DIR]
#   then here: tar -C tests/fixtures -xzf <files_at>/hf-parity.tar.gz
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${OUT:?set OUT to the folder that comes back}"
work="$(mktemp -d)/hf-parity"
python3 -c 'import torch, transformers, tokenizers, peft, safetensors; print("torch", torch.__version__, "transformers", transformers.__version__, "tokenizers", tokenizers.__version__, "peft", peft.__version__)'
CUDA_VISIBLE_DEVICES="" python3 "$root/scripts/gpu/parity-fixtures.py" "$work" "$@"
tar -C "$(dirname "$work")" -czf "$out/hf-parity.tar.gz" hf-parity
du -sh "$work"; du -sh "$work"/*
cp "$work/manifest.json" "$out/manifest.json"
