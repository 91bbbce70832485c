// pi_swiglu: silu(gate) * up over the fused gate_up projection as one kernel each way (swiglu_kernel.cu), recorded by
// autograd as one function. The eager form splits gate_up into strided views, so silu, the product and their backward
// run PyTorch's non-vectorised strided kernels, and the split's backward concatenates the two gradients. Adapters'
// updates of gate and up (LoRA) are added as the kernel reads them: added in place to halves of gate_up instead, each
// would be a strided kernel whose backward copies the whole of d(gate_up) twice (autograd's CopySlices).
#include "pi_native.h"
#include "errors.h"
#include "kernel_ops.h"
#include <c10/cuda/CUDAGuard.h>
#include <torch/csrc/autograd/custom_function.h>

namespace {

// The updates (each [..., I] or undefined) as the kernels take them, with the row views that keep them alive.
struct Adds {
  at::Tensor rows[2];
  PiPartAdds view{};
};

Adds part_adds(const at::Tensor& add_gate, const at::Tensor& add_up, int64_t inter) {
  Adds a;
  const at::Tensor* given[2] = {&add_gate, &add_up};
  for (int i = 0; i < 2; i++) {
    if (!given[i]->defined()) continue;
    a.rows[i] = as_rows(*given[i], inter);
    a.view.part[i] = a.rows[i].data_ptr();
    a.view.stride[i] = a.rows[i].stride(0);
  }
  return a;
}

at::Tensor swiglu_forward(const at::Tensor& gate_up, const at::Tensor& add_gate, const at::Tensor& add_up) {
  const int64_t inter = gate_up.size(-1) / 2;
  auto x = as_rows(gate_up, 2 * inter);
  auto adds = part_adds(add_gate, add_up, inter);
  auto sizes = gate_up.sizes().vec();
  sizes.back() = inter;
  auto out = at::empty(sizes, gate_up.options().memory_format(at::MemoryFormat::Contiguous));
  if (out.numel() == 0) return out;
  c10::cuda::CUDAGuard guard(gate_up.device());
  check_launch(pi_swiglu_forward_launch(kernel_dtype(x), x.data_ptr(), x.stride(0), adds.view, out.data_ptr(), x.size(0),
                                        inter, current_stream()), "swiglu forward");
  return out;
}

at::Tensor swiglu_backward(const at::Tensor& gate_up, const at::Tensor& add_gate, const at::Tensor& add_up,
                           const at::Tensor& grad_out) {
  const int64_t inter = gate_up.size(-1) / 2;
  auto x = as_rows(gate_up, 2 * inter);
  auto adds = part_adds(add_gate, add_up, inter);
  auto d = as_rows(grad_out.to(gate_up.scalar_type()), inter);
  TORCH_CHECK(d.size(0) == x.size(0), "pi_swiglu backward: gradient has ", d.size(0), " rows, input ", x.size(0));
  auto dx = at::empty(gate_up.sizes(), gate_up.options().memory_format(at::MemoryFormat::Contiguous));
  if (dx.numel() == 0) return dx;
  c10::cuda::CUDAGuard guard(gate_up.device());
  check_launch(pi_swiglu_backward_launch(kernel_dtype(x), x.data_ptr(), x.stride(0), adds.view, d.data_ptr(), d.stride(0),
                                         dx.data_ptr(), x.size(0), inter, current_stream()),
               "swiglu backward");
  return dx;
}

// Saves the input and the updates only (as the eager form keeps gate and up): the backward recomputes silu from them.
// Each update's gradient is its half of d(gate_up), a view.
struct SwiGLU : public torch::autograd::Function<SwiGLU> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& gate_up,
                            const std::optional<at::Tensor>& add_gate, const std::optional<at::Tensor>& add_up) {
    const auto gate = add_gate.value_or(at::Tensor()), up = add_up.value_or(at::Tensor());
    ctx->save_for_backward({gate_up, gate, up});
    return swiglu_forward(gate_up, gate, up);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    if (!grads[0].defined()) return {at::Tensor(), at::Tensor(), at::Tensor()};
    auto dx = swiglu_backward(saved[0], saved[1], saved[2], grads[0]);
    const int64_t inter = dx.size(-1) / 2;
    return {dx, saved[1].defined() ? dx.narrow(-1, 0, inter) : at::Tensor(), saved[2].defined() ? dx.narrow(-1, inter, inter) : at::Tensor()};
  }
};

}  // namespace

PI_EXPORT int pi_swiglu(PiTensor gate_up, PiTensor add_gate, PiTensor add_up, PiTensor* out) {
  return pi_guard("pi_swiglu", [&] {
    *out = nullptr;
    TORCH_CHECK(gate_up != nullptr && gate_up->defined(), "undefined tensor");
    const auto& x = *gate_up;
    TORCH_CHECK(x.is_cuda(), "gate_up is on ", x.device(), ", not CUDA");
    TORCH_CHECK(x.dim() >= 1 && x.size(-1) % 2 == 0, "gate_up's last dimension (", x.dim() ? x.size(-1) : 0, ") is not even");
    TORCH_CHECK(x.size(-1) / 2 > 0, "gate_up's last dimension is empty");
    kernel_dtype(x);
    const int64_t inter = x.size(-1) / 2;
    std::optional<at::Tensor> adds[2];
    PiTensor given[2] = {add_gate, add_up};
    const char* names[2] = {"add_gate", "add_up"};
    for (int i = 0; i < 2; i++) adds[i] = part_update(given[i], x, inter, names[i], "gate_up");
    *out = new at::Tensor(SwiGLU::apply(x, adds[0], adds[1]));
  });
}
