// libtorch's fused AdamW (the kernel behind torch.optim.AdamW(fused=True)) on the kit's parameter lists.
#include "pi_native.h"
#include "errors.h"

PI_EXPORT int pi_fused_adamw(PiTensor* params, PiTensor* grads, PiTensor* exp_avgs, PiTensor* exp_avg_sqs,
                             PiTensor* state_steps, int n, double lr, double beta1, double beta2,
                             double weight_decay, double eps) {
  return pi_guard("pi_fused_adamw", [&] {
    auto p = pi_list(params, n), g = pi_list(grads, n), m = pi_list(exp_avgs, n), v = pi_list(exp_avg_sqs, n),
         s = pi_list(state_steps, n);
    c10::NoGradGuard no_grad;
    // torch.optim increments the step counters before the kernel reads them (bias correction uses the new step).
    at::_foreach_add_(s, 1.0);
    at::_fused_adamw_(p, g, m, v, {}, s, lr, beta1, beta2, weight_decay, eps, /*amsgrad=*/false,
                      /*maximize=*/false, std::nullopt, std::nullopt);
  });
}
