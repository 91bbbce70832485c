// pi_fused_adamw with the learning rate read from a device tensor: a captured CUDA graph then follows a schedule (the
// host fills the tensor before each replay) instead of replaying the learning rate it was captured with.
#include "pi_native.h"
#include "errors.h"

PI_EXPORT int pi_fused_adamw_lr_tensor(PiTensor* params, PiTensor* grads, PiTensor* exp_avgs, PiTensor* exp_avg_sqs,
                                       PiTensor* state_steps, int n, PiTensor lr, double beta1, double beta2,
                                       double weight_decay, double eps) {
  return pi_guard("pi_fused_adamw_lr_tensor", [&] {
    auto p = pi_list(params, n), g = pi_list(grads, n), m = pi_list(exp_avgs, n), v = pi_list(exp_avg_sqs, n),
         s = pi_list(state_steps, n);
    TORCH_CHECK(lr != nullptr && lr->defined() && lr->numel() == 1, "lr must be a one-element tensor");
    c10::NoGradGuard no_grad;
    at::_foreach_add_(s, 1.0);
    const at::Tensor& rate = *lr;
    at::_fused_adamw_(p, g, m, v, {}, s, rate, beta1, beta2, weight_decay, eps, /*amsgrad=*/false,
                      /*maximize=*/false, std::nullopt, std::nullopt);
  });
}
