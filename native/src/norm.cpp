// RMSNorm through libtorch's rms_norm (on CUDA its fused kernel, forward and backward), recorded by autograd like any
// ATen op, for the kit's RmsNorm: one launch where TorchSharp's formula takes six or more.
#include "pi_native.h"
#include "errors.h"

PI_EXPORT int pi_rms_norm(PiTensor input, PiTensor weight, double eps, PiTensor* out) {
  return pi_guard("pi_rms_norm", [&] {
    *out = nullptr;
    TORCH_CHECK(input != nullptr && input->defined() && weight != nullptr && weight->defined(), "undefined tensor");
    auto y = at::rms_norm(*input, {input->size(-1)}, *weight, eps);
    *out = new at::Tensor(std::move(y));
  });
}
