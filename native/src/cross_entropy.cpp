// pi_cross_entropy: mean next-token cross-entropy over low-precision logits in one kernel each way
// (cross_entropy_kernel.cu), recorded by autograd as one function. The eager form copies the logits to fp32 and runs
// log_softmax, nll_loss and their backwards over the copy; at a 49k vocabulary that copy is the largest tensor of the
// step, and the passes over it a tenth of a small model's step.
#include "pi_native.h"
#include "errors.h"
#include "kernel_ops.h"
#include <c10/cuda/CUDAGuard.h>
#include <torch/csrc/autograd/custom_function.h>

namespace {

struct CrossEntropy : public torch::autograd::Function<CrossEntropy> {
  // logits [N, V] with unit column stride; target [N] int64. Returns the mean over rows whose target is not ignore (nan
  // where none is, as torch's mean reduction).
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& logits, const at::Tensor& target,
                            int64_t ignore) {
    c10::cuda::CUDAGuard guard(logits.device());
    const int64_t rows = logits.size(0), vocab = logits.size(1);
    auto f32 = logits.options().dtype(at::kFloat);
    auto lse = at::empty({rows}, f32), per_row = at::empty({rows}, f32);
    check_launch(pi_cross_entropy_forward_launch(kernel_dtype(logits), logits.data_ptr(), logits.stride(0),
                                                 target.data_ptr<int64_t>(), ignore, rows, vocab, lse.data_ptr<float>(),
                                                 per_row.data_ptr<float>(), current_stream()), "cross-entropy forward");
    auto count = target.ne(ignore).sum().to(at::kFloat);
    ctx->save_for_backward({logits, target, lse, count});
    ctx->saved_data["ignore"] = ignore;
    return per_row.sum() / count;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    const auto &logits = saved[0], &target = saved[1], &lse = saved[2], &count = saved[3];
    const int64_t ignore = ctx->saved_data["ignore"].toInt();
    c10::cuda::CUDAGuard guard(logits.device());
    auto scale = (grads[0].to(at::kFloat) / count).contiguous();  // on the device: no host sync
    auto dx = at::empty(logits.sizes(), logits.options().memory_format(at::MemoryFormat::Contiguous));
    check_launch(pi_cross_entropy_backward_launch(kernel_dtype(logits), logits.data_ptr(), logits.stride(0),
                                                  target.data_ptr<int64_t>(), ignore, logits.size(0), logits.size(1),
                                                  lse.data_ptr<float>(), scale.data_ptr<float>(), dx.data_ptr(),
                                                  current_stream()), "cross-entropy backward");
    return {dx, at::Tensor(), at::Tensor()};
  }
};

}  // namespace

PI_EXPORT int pi_cross_entropy(PiTensor logits, PiTensor target, int64_t ignore_index, PiTensor* loss) {
  return pi_guard("pi_cross_entropy", [&] {
    *loss = nullptr;
    TORCH_CHECK(logits != nullptr && logits->defined() && target != nullptr && target->defined(), "undefined tensor");
    const auto& x = *logits;
    const auto& t = *target;
    TORCH_CHECK(x.is_cuda(), "logits are on ", x.device(), ", not CUDA");
    TORCH_CHECK(x.dim() == 2 && x.size(1) > 0, "logits have shape ", x.sizes(), "; expected [rows, vocab]");
    TORCH_CHECK(t.dim() == 1 && t.size(0) == x.size(0), "target has shape ", t.sizes(), "; expected [", x.size(0), "]");
    TORCH_CHECK(t.scalar_type() == at::kLong && t.device() == x.device(), "target must be int64 on the logits' device");
    kernel_dtype(x);
    auto rows = x.stride(1) == 1 ? x : x.contiguous();
    *loss = new at::Tensor(CrossEntropy::apply(rows, t.contiguous(), ignore_index));
  });
}
