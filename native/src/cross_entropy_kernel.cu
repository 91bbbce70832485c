// Cross-entropy over bf16/fp16/fp32 logits without an fp32 copy of them: the forward reads each row once (online
// max and sum of exponentials, fp32) and keeps its log-sum-exp; the backward reads the row again and writes
// (softmax - onehot) * scale in the logits' dtype. The eager form converts the logits to fp32 and runs log_softmax and
// its backward over that copy: about six passes over an fp32 [rows, vocab] tensor instead of two over the logits.
#include <cfloat>
#include <type_traits>
#include "kernel_util.cuh"

namespace {

constexpr int kRowThreads = 512;

// (max, sum of exp(x - max)) pairs combined.
__device__ inline void combine(float& m, float& s, float m2, float s2) {
  const float mx = fmaxf(m, m2);
  s = (m == -FLT_MAX ? 0.f : s * __expf(m - mx)) + (m2 == -FLT_MAX ? 0.f : s2 * __expf(m2 - mx));
  m = mx;
}

template <typename T, int V>
__global__ void ce_forward(const T* __restrict__ logits, int64_t stride, const int64_t* __restrict__ target, int64_t ignore,
                           int64_t vocab, float* __restrict__ lse_out, float* __restrict__ loss_out) {
  const int64_t row = blockIdx.x;
  const T* x = logits + row * stride;
  float m = -FLT_MAX, s = 0.f;
  const int64_t packs = vocab / V;
  for (int64_t p = threadIdx.x; p < packs; p += blockDim.x) {
    auto a = load<T, V>(x + p * V);
    float pm = -FLT_MAX;
#pragma unroll
    for (int e = 0; e < V; e++) pm = fmaxf(pm, Num<T>::in(a.v[e]));
    float ps = 0.f;
#pragma unroll
    for (int e = 0; e < V; e++) ps += __expf(Num<T>::in(a.v[e]) - pm);
    combine(m, s, pm, ps);
  }
  for (int64_t c = packs * V + threadIdx.x; c < vocab; c += blockDim.x) combine(m, s, Num<T>::in(x[c]), 1.f);
  for (int o = 16; o > 0; o /= 2) combine(m, s, __shfl_xor_sync(0xffffffff, m, o), __shfl_xor_sync(0xffffffff, s, o));
  __shared__ float wm[kRowThreads / 32], ws[kRowThreads / 32];
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  if (lane == 0) wm[warp] = m, ws[warp] = s;
  __syncthreads();
  if (threadIdx.x == 0) {
    for (int w = 1; w < (int)blockDim.x / 32; w++) combine(m, s, wm[w], ws[w]);
    const float lse = m + logf(s);
    lse_out[row] = lse;
    const int64_t t = target[row];
    loss_out[row] = t == ignore ? 0.f : t < 0 || t >= vocab ? __int_as_float(0x7fc00000) : lse - Num<T>::in(x[t]);
  }
}

template <typename T, int V>
__global__ void ce_backward(const T* __restrict__ logits, int64_t stride, const int64_t* __restrict__ target, int64_t ignore,
                            int64_t vocab, const float* __restrict__ lse, const float* __restrict__ scale, T* __restrict__ dx) {
  const int64_t row = blockIdx.x, t = target[row];
  const T* x = logits + row * stride;
  T* d = dx + row * vocab;
  const bool counted = t != ignore && t >= 0 && t < vocab;
  const float l = lse[row], g = counted ? *scale : 0.f;
  const int64_t packs = vocab / V;
  for (int64_t p = threadIdx.x; p < packs; p += blockDim.x) {
    auto a = load<T, V>(x + p * V);
    Pack<T, V> y;
#pragma unroll
    for (int e = 0; e < V; e++) {
      const int64_t c = p * V + e;
      y.v[e] = Num<T>::out(g * (__expf(Num<T>::in(a.v[e]) - l) - (c == t ? 1.f : 0.f)));
    }
    store<T, V>(d + p * V, y);
  }
  for (int64_t c = packs * V + threadIdx.x; c < vocab; c += blockDim.x)
    d[c] = Num<T>::out(g * (__expf(Num<T>::in(x[c]) - l) - (c == t ? 1.f : 0.f)));
}

// Runs launch(T, V, px) with one block per row, V the elements of a 16-byte pack, or 1 where `packed` says no (each
// launcher's alignment test, given V).
template <typename F, typename P>
cudaError_t per_row(PiDtype dtype, const void* logits, int64_t rows, P&& packed, F&& launch) {
  return dispatch(dtype, [&](auto zero) -> cudaError_t {
    using T = decltype(zero);
    constexpr int V = 16 / sizeof(T);
    if (rows == 0) return cudaSuccess;
    if (rows > 2147483647) return cudaErrorInvalidValue;
    auto px = static_cast<const T*>(logits);
    if (packed(V)) launch(std::integral_constant<int, V>{}, px);
    else launch(std::integral_constant<int, 1>{}, px);
    return cudaGetLastError();
  });
}

}  // namespace

cudaError_t pi_cross_entropy_forward_launch(PiDtype dtype, const void* logits, int64_t stride, const int64_t* target,
                                            int64_t ignore, int64_t rows, int64_t vocab, float* lse, float* loss,
                                            cudaStream_t stream) {
  return per_row(dtype, logits, rows, [&](int v) { return stride % v == 0 && aligned16(logits); }, [&](auto v, auto px) {
    using T = std::remove_const_t<std::remove_pointer_t<decltype(px)>>;
    ce_forward<T, decltype(v)::value><<<(unsigned)rows, kRowThreads, 0, stream>>>(px, stride, target, ignore, vocab, lse, loss);
  });
}

cudaError_t pi_cross_entropy_backward_launch(PiDtype dtype, const void* logits, int64_t stride, const int64_t* target,
                                             int64_t ignore, int64_t rows, int64_t vocab, const float* lse,
                                             const float* scale, void* dx, cudaStream_t stream) {
  return per_row(dtype, logits, rows, [&](int v) { return stride % v == 0 && vocab % v == 0 && aligned16(logits) && aligned16(dx); },
                 [&](auto v, auto px) {
                   using T = std::remove_const_t<std::remove_pointer_t<decltype(px)>>;
                   ce_backward<T, decltype(v)::value><<<(unsigned)rows, kRowThreads, 0, stream>>>(
                       px, stride, target, ignore, vocab, lse, scale, static_cast<T*>(dx));
                 });
}
