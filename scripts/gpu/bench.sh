#!/usr/bin/env bash
# Device-machine job: our trainer/generator benchmark and the peer (transformers + PEFT, eager and --compile) on the
# same shapes in ONE call, so the ratios compare the same card. Writes everything under $OUT.
# Usage (device machine, repository root, artifacts/gpu carried): scripts/gpu/bench.sh
set -uo pipefail
export PYTHONUNBUFFERED=1 NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
# The same attention backend order for both sides (run.sh sets it for ours; see there why).
export TORCH_CUDNN_SDPA_DEPRIORITIZED="${TORCH_CUDNN_SDPA_DEPRIORITIZED:-1}"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$OUT/device.txt"
timeout 240 scripts/gpu/run.sh bench all --config nano,smol135m --device cuda --out-dir "$OUT/ours" 2>&1 | tee "$OUT/ours.log"
timeout 150 python3 bench/peer/peer_torch.py nano smol135m 2>&1 | tee "$OUT/peer.log"
# The compiled peer compiles every shape first: 258 s on an H200 in the fifth session (200 s was too short).
timeout 360 python3 bench/peer/peer_torch.py nano smol135m --compile 2>&1 | tee "$OUT/peer-compile.log"
