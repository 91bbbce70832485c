#!/usr/bin/env bash
# Runs the bundled promptintern CLI on the GPU machine against the PyTorch libtorch installed there.
# Usage (device machine, repository root, with artifacts/gpu/promptintern-linux-x64.tar.xz carried):
#   scripts/gpu/run.sh bench all --config nano,smol135m --out-dir "$OUT/bench"
#   scripts/gpu/run.sh pretrain --corpus data/nl2bash/train.jsonl --config nano --device cuda --precision bf16 --out "$OUT/nano"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bundle="$root/artifacts/gpu/promptintern-linux-x64.tar.xz"
dest="${PROMPTINTERN_BUNDLE_DIR:-/tmp/promptintern-bundle}"
if [[ ! -x "$dest/promptintern/PromptIntern.Cli" || "$bundle" -nt "$dest/promptintern/PromptIntern.Cli" ]]; then
  [[ -f "$bundle" ]] || { echo "error: $bundle missing; run scripts/gpu/build-bundle.sh here and carry artifacts/gpu" >&2; exit 1; }
  rm -rf "$dest" && mkdir -p "$dest" && tar -C "$dest" -xJf "$bundle"
  # tar keeps the archive's older mtimes: mark the unpacked CLI newer than the bundle, or every call unpacks again.
  touch "$dest/promptintern/PromptIntern.Cli"
fi
torch_lib="$(python3 -c 'import torch,os;print(os.path.join(os.path.dirname(torch.__file__),"lib"))')"
export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Keep NVLink multicast off (shared hosts; see the device notes).
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
# Recent PyTorch (sdp_utils.cpp; the device has 2.11) puts cuDNN attention first among the SDPA backends on sm90 with
# cuDNN > 9.15, and cuDNN builds an execution plan for every new (batch, query length, key length) shape: each KV-cache
# decode step is a new key length, so latency would include a plan build per step until shapes repeat. Flash attention
# first needs no plans; the variable lands in every result's provenance (machine.torch_env). Pass
# TORCH_CUDNN_SDPA_DEPRIORITIZED=0 to keep cuDNN first.
export TORCH_CUDNN_SDPA_DEPRIORITIZED="${TORCH_CUDNN_SDPA_DEPRIORITIZED:-1}"
# The native extension (scripts/gpu/build-native.sh) when it was built on this machine; the kit runs without it.
native_dir="${PROMPTINTERN_NATIVE_DIR:-/tmp/promptintern-native}"
[[ -z "${PROMPTINTERN_NATIVE:-}" && -f "$native_dir/libpromptintern_native.so" ]] && export PROMPTINTERN_NATIVE="$native_dir/libpromptintern_native.so"
# Kernels whose own test failed there (scripts/gpu/test-native.sh) run their eager form.
if [[ -f "$native_dir/native-skip" ]]; then
  export PROMPTINTERN_NATIVE_SKIP="${PROMPTINTERN_NATIVE_SKIP:+$PROMPTINTERN_NATIVE_SKIP,}$(cat "$native_dir/native-skip")"
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Results resolve against the repository (KitPaths looks for the repo root from the working directory).
cd "$root"
exec "$dest/promptintern/PromptIntern.Cli" "$@"
