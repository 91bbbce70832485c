// Host-side helpers for the exports that launch the kit's own kernels (kernels.h): dtype mapping, row views, launch
// checks and the current stream.
#pragma once
#include "pi_native.h"
#include "kernels.h"
#include <c10/cuda/CUDAStream.h>
#include <optional>

inline PiDtype kernel_dtype(const at::Tensor& t) {
  switch (t.scalar_type()) {
    case at::kFloat: return PI_F32;
    case at::kBFloat16: return PI_BF16;
    case at::kHalf: return PI_F16;
    default: break;
  }
  TORCH_CHECK(false, "dtype ", t.scalar_type(), " is not float32, bfloat16 or float16");
  return PI_F32;
}

// t as [rows, cols] with unit column stride: a view where its layout allows, else a contiguous copy.
inline at::Tensor as_rows(const at::Tensor& t, int64_t cols) {
  auto r = t.reshape({-1, cols});
  return r.size(0) == 0 || r.stride(1) == 1 ? r : r.contiguous();
}

// An adapter's update of one part of a fused output (null or undefined: none), checked to have the fused output's dtype,
// device and shape but for its last dimension, which is the part's `width`. Optional because a custom autograd
// function records every at::Tensor argument as an input and reads its device, which an undefined tensor lacks.
inline std::optional<at::Tensor> part_update(PiTensor update, const at::Tensor& fused, int64_t width, const char* name,
                                             const char* fused_name) {
  if (update == nullptr || !update->defined()) return std::nullopt;
  const auto& a = *update;
  TORCH_CHECK(a.scalar_type() == fused.scalar_type() && a.device() == fused.device(), name, " must have ", fused_name,
              "'s dtype and device");
  auto expected = fused.sizes().vec();
  expected.back() = width;
  TORCH_CHECK(a.sizes() == at::IntArrayRef(expected), name, " has shape ", a.sizes(), "; expected ", at::IntArrayRef(expected));
  return a;
}

inline void check_launch(cudaError_t e, const char* what) {
  TORCH_CHECK(e == cudaSuccess, what, " launch failed: ", cudaGetErrorString(e));
}

inline cudaStream_t current_stream() { return c10::cuda::getCurrentCUDAStream().stream(); }
