// Scaled dot-product attention with grouped-query heads left to the kernel (enable_gqa, which TorchSharp 0.107's binding
// lacks): keys and values keep their kv heads instead of being copied out to one per query head, forward and backward.
#include "pi_native.h"
#include "errors.h"

PI_EXPORT int pi_sdpa_gqa(PiTensor q, PiTensor k, PiTensor v, int is_causal, PiTensor* out) {
  return pi_guard("pi_sdpa_gqa", [&] {
    *out = nullptr;
    TORCH_CHECK(q != nullptr && q->defined() && k != nullptr && k->defined() && v != nullptr && v->defined(), "undefined tensor");
    auto y = at::scaled_dot_product_attention(*q, *k, *v, std::nullopt, 0.0, is_causal != 0, std::nullopt, /*enable_gqa=*/true);
    *out = new at::Tensor(std::move(y));
  });
}
