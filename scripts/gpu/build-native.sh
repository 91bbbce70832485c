#!/usr/bin/env bash
# Builds libpromptintern_native.so (native/) on the GPU machine against the PyTorch installed there (the libtorch that
# TorchSharp loads through scripts/gpu/run.sh), then runs its GPU test (scripts/gpu/test-native.sh).
# Usage (device machine, repository root): scripts/gpu/build-native.sh [out-dir]   (default /tmp/promptintern-native)
# scripts/gpu/run.sh exports PROMPTINTERN_NATIVE=<out-dir>/libpromptintern_native.so when that file exists; without it
# the kit runs its TorchSharp-only path and says so ("native: off").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-/tmp/promptintern-native}"
build="${NATIVE_BUILD_DIR:-/tmp/promptintern-native-build}"
prefix="$(python3 -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')"
nvcc="$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null || true)"
[[ -n "$nvcc" ]] && export CUDACXX="$nvcc" CUDAToolkit_ROOT="$(dirname "$(dirname "$nvcc")")"
mkdir -p "$out"
rm -f "$build"-*.o
start=$SECONDS
if cmake -S "$root/native" -B "$build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >"$out/cmake.log" 2>&1 \
   && cmake --build "$build" -j "$(nproc)" >>"$out/cmake.log" 2>&1; then
  cp "$build/libpromptintern_native.so" "$build/native_test" "$out/"
  echo "native: built with CMake in $((SECONDS - start)) s"
else
  # find_package(Torch) depends on how the CUDA toolkit is found; the library needs only torch's headers and libraries,
  # so a direct compile is the fallback (its reason stays in cmake.log).
  echo "native: CMake build failed (tail of $out/cmake.log below); compiling directly" >&2
  tail -n 15 "$out/cmake.log" >&2
  torch_dir="$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')"
  abi="$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')"
  cuda_inc="$(dirname "$(dirname "${nvcc:-/usr/local/cuda/bin/nvcc}")")/include"
  flags=(-std=c++17 -O2 -fPIC -D_GLIBCXX_USE_CXX11_ABI="$abi" -I"$torch_dir/include" -I"$torch_dir/include/torch/csrc/api/include" -I"$cuda_inc")
  libs=(-L"$torch_dir/lib" -Wl,-rpath,"$torch_dir/lib" -ltorch -ltorch_cpu -ltorch_cuda -lc10 -lc10_cuda)
  pids=()
  for f in errors foreach adamw cuda_graph memory norm attention adamw_tensor_lr profiler swiglu rope cross_entropy; do c++ "${flags[@]}" -fvisibility=hidden -c "$root/native/src/$f.cpp" -o "$build-$f.o" & pids+=($!); done
  # The kit's own kernels include no torch header: nvcc alone, sm_90 (H100/H200) plus its PTX.
  if [[ -n "$nvcc" ]]; then
    for f in swiglu rope cross_entropy; do "$nvcc" -std=c++17 -O3 -Xcompiler -fPIC -gencode 'arch=compute_90,code=[sm_90,compute_90]' -c "$root/native/src/${f}_kernel.cu" -o "$build-${f}_kernel.o" & pids+=($!); done
  fi
  for p in "${pids[@]}"; do wait "$p" || true; done
  # The fused RMSNorm, GQA attention, tensor-lr AdamW, the profiler, SwiGLU, RoPE and cross-entropy are optional (the kit falls back to
  # TorchSharp ops or its other paths, or says the profiler is missing): a library without one beats no library.
  objs=("$build"-{errors,foreach,adamw,cuda_graph,memory}.o)
  test_flags=()
  for f in norm attention adamw_tensor_lr profiler; do
    if [[ -f "$build-$f.o" ]]; then objs+=("$build-$f.o"); else echo "native: $f.cpp did not compile; building without it" >&2; test_flags+=("-DPI_NO_${f^^}"); fi
  done
  # SwiGLU, RoPE and cross-entropy need their export, their kernel and the shared CUDA runtime (the one libtorch loads).
  cudart="$(ls "$cuda_inc"/../lib64/libcudart.so "$cuda_inc"/../targets/x86_64-linux/lib/libcudart.so 2>/dev/null | head -n 1 || true)"
  for f in swiglu rope cross_entropy; do
    if [[ -f "$build-$f.o" && -f "$build-${f}_kernel.o" && -n "$cudart" ]]; then objs+=("$build-$f.o" "$build-${f}_kernel.o")
    else echo "native: $f.cpp, ${f}_kernel.cu or libcudart missing; building without it" >&2; test_flags+=("-DPI_NO_${f^^}"); fi
  done
  if [[ -n "$cudart" ]]; then libs+=("$cudart"); fi
  c++ -shared -o "$out/libpromptintern_native.so" "${objs[@]}" "${libs[@]}"
  c++ "${flags[@]}" "${test_flags[@]}" "$root/native/test/native_test.cpp" -o "$out/native_test" -L"$out" -Wl,-rpath,"$out" -lpromptintern_native "${libs[@]}"
  echo "native: built directly in $((SECONDS - start)) s"
fi
# Its test, one group per process: a library whose core fails is set aside, a kernel whose test fails is switched off.
"$root/scripts/gpu/test-native.sh" "$out"
