#!/usr/bin/env bash
# Runs scripts/accelerate/finetune_stages.py once on the GPU machine: the kit's tiny base, the nl2bash curriculum the kit
# exported (promptintern curriculum --format trl), one GPU through scripts/accelerate/one-gpu.yaml.
# Usage (device machine, repository root): scripts/gpu/accelerate-stages.sh CURRICULUM_DIR OUT_DIR [finetune_stages.py options]
#   then here: promptintern generate --model data/models/tiny --adapter OUT_DIR/adapter --task nl2bash --predictions P; promptintern eval ...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
curriculum="${1:?usage: accelerate-stages.sh CURRICULUM_DIR OUT_DIR}"; out="${2:?OUT_DIR}"; shift 2
python3 -c 'import accelerate, peft, transformers; print("accelerate", accelerate.__version__, "peft", peft.__version__, "transformers", transformers.__version__)'
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
cd "$root"
accelerate launch --config_file scripts/accelerate/one-gpu.yaml scripts/accelerate/finetune_stages.py \
  --model data/models/tiny --curriculum "$curriculum" --out "$out" "$@"
