// pi_rope_qkv: rotary embedding of the fused qkv projection's q and k heads, and v laid out beside them, as one kernel
// each way (rope_kernel.cu), recorded by autograd as one function. The eager form rotates strided views of the
// projection (PyTorch's non-vectorised strided kernels for each product, the negation and the concatenation of
// rotate-half) and the split's backward concatenates the three gradients; here the backward writes d(qkv) directly.
// Adapters' updates of the q, k or v rows (LoRA) are added as the kernel reads them: added in place to slices of qkv
// instead, each would be a strided kernel whose backward copies the whole of d(qkv) twice (autograd's CopySlices).
#include "pi_native.h"
#include "errors.h"
#include "kernel_ops.h"
#include <c10/cuda/CUDAGuard.h>
#include <torch/csrc/autograd/custom_function.h>

namespace {

// cos or sin as [Bc, T, D] contiguous, from [T, D] (shared by the batch) or [B, T, D] (per row's positions).
at::Tensor table(const at::Tensor& t, const at::Tensor& qkv, int64_t head_dim, const char* name) {
  const int64_t b = qkv.size(0), seq = qkv.size(1);
  TORCH_CHECK(t.scalar_type() == qkv.scalar_type() && t.device() == qkv.device(), name, " must have qkv's dtype and device");
  auto t3 = t.dim() == 2 ? t.unsqueeze(0) : t;
  TORCH_CHECK(t3.dim() == 3 && (t3.size(0) == 1 || t3.size(0) == b) && t3.size(1) == seq && t3.size(2) == head_dim,
              name, " has shape ", t.sizes(), "; expected [", seq, ", ", head_dim, "] or [", b, ", ", seq, ", ", head_dim, "]");
  return t3.contiguous();
}

int64_t batch_stride(const at::Tensor& table) { return table.size(0) == 1 ? 0 : table.size(1) * table.size(2); }

// The rows [offset, offset + n*d) of qkv's last dimension, where qkv's columns are heads of d.
struct Part {
  int64_t offset, width;
};

const char* const kAddNames[3] = {"add_q", "add_k", "add_v"};

Part part_of(int i, int64_t heads, int64_t kv_heads, int64_t d) {
  return i == 0 ? Part{0, heads * d} : i == 1 ? Part{heads * d, kv_heads * d} : Part{(heads + kv_heads) * d, kv_heads * d};
}

struct RopeQkv : public torch::autograd::Function<RopeQkv> {
  // cos and sin arrive as [Bc, T, D] contiguous (table() above).
  // add_q, add_k, add_v: [B, T, part width] in qkv's dtype, or none.
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx, const at::Tensor& qkv,
                                                const std::optional<at::Tensor>& add_q, const std::optional<at::Tensor>& add_k,
                                                const std::optional<at::Tensor>& add_v, const at::Tensor& cos,
                                                const at::Tensor& sin, int64_t heads, int64_t kv_heads) {
    const int64_t b = qkv.size(0), seq = qkv.size(1), width = qkv.size(2), d = width / (heads + 2 * kv_heads);
    c10::cuda::CUDAGuard guard(qkv.device());
    auto x = as_rows(qkv, width);
    const std::optional<at::Tensor>* given[3] = {&add_q, &add_k, &add_v};
    at::Tensor add_rows[3];
    PiPartAdds adds{};
    for (int i = 0; i < 3; i++) {
      if (!given[i]->has_value()) continue;
      add_rows[i] = as_rows(given[i]->value(), part_of(i, heads, kv_heads, d).width);
      adds.part[i] = add_rows[i].data_ptr();
      adds.stride[i] = add_rows[i].stride(0);
      ctx->saved_data[kAddNames[i]] = true;
    }
    auto opt = qkv.options().memory_format(at::MemoryFormat::Contiguous);
    auto q = at::empty({b, seq, heads, d}, opt), k = at::empty({b, seq, kv_heads, d}, opt), v = at::empty({b, seq, kv_heads, d}, opt);
    if (x.size(0) > 0)
      check_launch(pi_rope_forward_launch(kernel_dtype(x), x.data_ptr(), x.stride(0), adds, cos.data_ptr(), sin.data_ptr(),
                                          batch_stride(cos), q.data_ptr(), k.data_ptr(), v.data_ptr(), x.size(0), seq,
                                          heads, kv_heads, d, current_stream()), "rope forward");
    ctx->save_for_backward({cos, sin});
    ctx->saved_data["heads"] = heads;
    ctx->saved_data["kv_heads"] = kv_heads;
    ctx->saved_data["batch"] = b;
    return {q, k, v};
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    const auto &cos = saved[0], &sin = saved[1];
    const int64_t heads = ctx->saved_data["heads"].toInt(), kv_heads = ctx->saved_data["kv_heads"].toInt();
    const int64_t b = ctx->saved_data["batch"].toInt(), seq = cos.size(1), d = cos.size(2);
    c10::cuda::CUDAGuard guard(cos.device());
    auto shaped = [&](const at::Tensor& g, int64_t n) {
      return g.defined() ? g.to(cos.scalar_type()).contiguous() : at::zeros({b, seq, n, d}, cos.options());
    };
    auto dq = shaped(grads[0], heads), dk = shaped(grads[1], kv_heads), dv = shaped(grads[2], kv_heads);
    TORCH_CHECK(dq.numel() == b * seq * heads * d && dk.numel() == b * seq * kv_heads * d && dv.numel() == dk.numel(),
                "pi_rope_qkv backward: gradient sizes do not match the outputs");
    auto dx = at::empty({b, seq, (heads + 2 * kv_heads) * d}, cos.options().memory_format(at::MemoryFormat::Contiguous));
    if (b * seq > 0)
      check_launch(pi_rope_backward_launch(kernel_dtype(dx), dq.data_ptr(), dk.data_ptr(), dv.data_ptr(), cos.data_ptr(),
                                           sin.data_ptr(), batch_stride(cos), dx.data_ptr(), b * seq, seq, heads, kv_heads,
                                           d, current_stream()), "rope backward");
    // Each update's gradient is its part of d(qkv): a view, no kernel.
    torch::autograd::variable_list result = {dx, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(),
                                             at::Tensor(), at::Tensor()};
    for (int i = 0; i < 3; i++)
      if (ctx->saved_data.count(kAddNames[i])) {
        auto p = part_of(i, heads, kv_heads, d);
        result[1 + i] = dx.narrow(2, p.offset, p.width);
      }
    return result;
  }
};

}  // namespace

PI_EXPORT int pi_rope_qkv(PiTensor qkv, PiTensor add_q, PiTensor add_k, PiTensor add_v, PiTensor cos, PiTensor sin,
                          int heads, int kv_heads, PiTensor* q, PiTensor* k, PiTensor* v) {
  return pi_guard("pi_rope_qkv", [&] {
    *q = *k = *v = nullptr;
    TORCH_CHECK(qkv != nullptr && qkv->defined() && cos != nullptr && cos->defined() && sin != nullptr && sin->defined(),
                "undefined tensor");
    const auto& x = *qkv;
    TORCH_CHECK(x.is_cuda(), "qkv is on ", x.device(), ", not CUDA");
    TORCH_CHECK(x.dim() == 3, "qkv has shape ", x.sizes(), "; expected [B, T, (heads + 2 * kv_heads) * head_dim]");
    TORCH_CHECK(heads > 0 && kv_heads > 0 && x.size(2) % (heads + 2 * kv_heads) == 0, "qkv's last dimension ", x.size(2),
                " is not (", heads, " + 2 * ", kv_heads, ") heads");
    const int64_t d = x.size(2) / (heads + 2 * kv_heads);
    TORCH_CHECK(d % 2 == 0 && d > 0, "head_dim ", d, " is not even");
    kernel_dtype(x);
    auto c = table(*cos, x, d, "cos"), s = table(*sin, x, d, "sin");
    PiTensor given[3] = {add_q, add_k, add_v};
    std::optional<at::Tensor> adds[3];
    for (int i = 0; i < 3; i++) adds[i] = part_update(given[i], x, part_of(i, heads, kv_heads, d).width, kAddNames[i], "qkv");
    auto outs = RopeQkv::apply(x, adds[0], adds[1], adds[2], c, s, (int64_t)heads, (int64_t)kv_heads);
    *q = new at::Tensor(outs[0]);
    *k = new at::Tensor(outs[1]);
    *v = new at::Tensor(outs[2]);
  });
}
