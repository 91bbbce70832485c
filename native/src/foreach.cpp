// Multi-tensor copies and gradient clipping: one or two launches for a whole parameter list instead of one per tensor.
#include "pi_native.h"
#include "errors.h"

PI_EXPORT int pi_foreach_copy(PiTensor* dst, PiTensor* src, int n) {
  return pi_guard("pi_foreach_copy", [&] {
    auto d = pi_list(dst, n), s = pi_list(src, n);
    c10::NoGradGuard no_grad;
    at::_foreach_copy_(d, s);
  });
}

PI_EXPORT int pi_clip_grad_norm(PiTensor* grads, int n, double max_norm, PiTensor total_norm) {
  return pi_guard("pi_clip_grad_norm", [&] {
    auto g = pi_list(grads, n);
    c10::NoGradGuard no_grad;
    // torch.nn.utils.clip_grad_norm_: norms per tensor in one launch, their norm, then a clamped scale on the device.
    auto norms = at::_foreach_norm(g, 2);
    auto total = at::linalg_vector_norm(at::stack(norms).to(at::kFloat), 2);
    auto coef = at::clamp_max(max_norm / (total + 1e-6), 1.0);
    at::_foreach_mul_(g, coef);
    if (total_norm != nullptr) total_norm->copy_(total);
  });
}
