// Pieces shared by the kit's elementwise CUDA kernels: element types read and written as float, vector packs, launch
// sizes.
#pragma once
#include <cstdint>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include "kernels.h"

template <typename T> struct Num;
template <> struct Num<float> {
  __device__ static float in(float x) { return x; }
  __device__ static float out(float x) { return x; }
};
template <> struct Num<__nv_bfloat16> {
  __device__ static float in(__nv_bfloat16 x) { return __bfloat162float(x); }
  __device__ static __nv_bfloat16 out(float x) { return __float2bfloat16_rn(x); }
};
template <> struct Num<__half> {
  __device__ static float in(__half x) { return __half2float(x); }
  __device__ static __half out(float x) { return __float2half_rn(x); }
};

// V consecutive elements moved as one load or store (16 bytes when V * sizeof(T) == 16).
template <typename T, int V> struct alignas(sizeof(T) * V) Pack { T v[V]; };

template <typename T, int V> __device__ inline Pack<T, V> load(const T* p) { return *reinterpret_cast<const Pack<T, V>*>(p); }
template <typename T, int V> __device__ inline void store(T* p, const Pack<T, V>& x) { *reinterpret_cast<Pack<T, V>*>(p) = x; }

inline bool aligned16(const void* p) { return reinterpret_cast<uintptr_t>(p) % 16 == 0; }

constexpr int kThreads = 256;

// A launch over rows: block (r, y) runs row r's threads y*threads .. y*threads + threads - 1 of per_row (threads a
// multiple of 32, at most kThreads); not ok where rows or the row's blocks exceed what a grid holds.
struct RowGrid {
  dim3 blocks;
  unsigned threads;
  bool ok;
};

inline RowGrid row_grid(int64_t rows, int64_t per_row) {
  const int64_t threads = per_row >= kThreads ? kThreads : per_row <= 0 ? 32 : (per_row + 31) / 32 * 32;
  const int64_t chunks = (per_row + threads - 1) / threads;
  const bool ok = rows > 0 && rows <= 2147483647 && chunks > 0 && chunks <= 65535;
  return {dim3(ok ? (unsigned)rows : 1, ok ? (unsigned)chunks : 1), (unsigned)threads, ok};
}

// Runs body.template operator()<T>() with T the element type of dtype.
template <typename F> cudaError_t dispatch(PiDtype dtype, F&& body) {
  switch (dtype) {
    case PI_F32: return body(float{});
    case PI_BF16: return body(__nv_bfloat16{});
    case PI_F16: return body(__half{});
  }
  return cudaErrorInvalidValue;
}
