// Rotary embedding of the fused qkv projection in one pass each way: the forward reads q and k heads from the fused
// (row-strided) buffer, adds the adapters' updates of their rows where given, rotates q and k (rotate-half convention,
// fp32 math) and writes q, k and v as contiguous [rows, heads, D] tensors; the backward reads their gradients and
// writes d(qkv) whole, with no concatenation.
#include "kernel_util.cuh"

namespace {

// One thread moves V elements of each half of one head of one row; block (r, y) covers row r's threads y*blockDim.x
// onwards (32-bit index math: a 64-bit division per element costs more than the loads it indexes). Forward: fused ->
// split; backward: split -> fused.
template <typename T, int V, bool Backward>
__global__ void rope(T* fused, int64_t fused_stride, PiPartAdds adds, T* q, T* k, T* v, const T* __restrict__ cos,
                     const T* __restrict__ sin, int64_t cs_batch_stride, int seq, int heads, int kv_heads, int head_dim) {
  const int half = head_dim / 2, per_head = half / V, all_heads = heads + 2 * kv_heads;
  const int t = blockIdx.y * blockDim.x + threadIdx.x;
  if (t >= all_heads * per_head) return;
  const int64_t r = blockIdx.x;
  const int h = t / per_head, j = (t - h * per_head) * V;
  T* f = fused + r * fused_stride + h * head_dim;
  T* s = h < heads ? q + (r * heads + h) * head_dim
       : h < heads + kv_heads ? k + (r * kv_heads + (h - heads)) * head_dim
       : v + (r * kv_heads + (h - heads - kv_heads)) * head_dim;
  const T* src = Backward ? s : f;
  T* dst = Backward ? f : s;
  auto a = load<T, V>(src + j), b = load<T, V>(src + j + half);
  float x1[V], x2[V];
#pragma unroll
  for (int e = 0; e < V; e++) x1[e] = Num<T>::in(a.v[e]), x2[e] = Num<T>::in(b.v[e]);
  const int part = h < heads ? 0 : h < heads + kv_heads ? 1 : 2;
  if (!Backward && adds.part[part] != nullptr) {
    const int first = part == 0 ? 0 : part == 1 ? heads : heads + kv_heads;
    const T* u = static_cast<const T*>(adds.part[part]) + r * adds.stride[part] + (h - first) * head_dim + j;
    auto u1 = load<T, V>(u), u2 = load<T, V>(u + half);
#pragma unroll
    for (int e = 0; e < V; e++) x1[e] += Num<T>::in(u1.v[e]), x2[e] += Num<T>::in(u2.v[e]);
  }
  Pack<T, V> y1, y2;
  if (part == 2) {  // v: copied (with its update)
#pragma unroll
    for (int e = 0; e < V; e++) y1.v[e] = Num<T>::out(x1[e]), y2.v[e] = Num<T>::out(x2[e]);
    store<T, V>(dst + j, y1);
    store<T, V>(dst + j + half, y2);
    return;
  }
  const unsigned row = blockIdx.x;
  const int64_t cs = (row / seq) * cs_batch_stride + (int64_t)(row % seq) * head_dim + j;
  auto c1 = load<T, V>(cos + cs), c2 = load<T, V>(cos + cs + half), s1 = load<T, V>(sin + cs), s2 = load<T, V>(sin + cs + half);
#pragma unroll
  for (int e = 0; e < V; e++) {
    float cos1 = Num<T>::in(c1.v[e]), cos2 = Num<T>::in(c2.v[e]), sin1 = Num<T>::in(s1.v[e]), sin2 = Num<T>::in(s2.v[e]);
    if (Backward) {
      y1.v[e] = Num<T>::out(x1[e] * cos1 + x2[e] * sin2);
      y2.v[e] = Num<T>::out(x2[e] * cos2 - x1[e] * sin1);
    } else {
      y1.v[e] = Num<T>::out(x1[e] * cos1 - x2[e] * sin1);
      y2.v[e] = Num<T>::out(x2[e] * cos2 + x1[e] * sin2);
    }
  }
  store<T, V>(dst + j, y1);
  store<T, V>(dst + j + half, y2);
}

template <bool Backward>
cudaError_t launch(PiDtype dtype, void* fused, int64_t fused_stride, PiPartAdds adds, void* q, void* k, void* v, const void* cos,
                   const void* sin, int64_t cs_batch_stride, int64_t rows, int64_t seq, int64_t heads, int64_t kv_heads,
                   int64_t head_dim, cudaStream_t stream) {
  return dispatch(dtype, [&](auto zero) {
    using T = decltype(zero);
    constexpr int V = 16 / sizeof(T);
    const int64_t half = head_dim / 2, all_heads = heads + 2 * kv_heads;
    auto pf = static_cast<T*>(fused);
    auto pq = static_cast<T*>(q), pk = static_cast<T*>(k), pv = static_cast<T*>(v);
    auto pc = static_cast<const T*>(cos), ps = static_cast<const T*>(sin);
    // Every head starts at a multiple of half (head_dim = 2 * half) from its row, so V | half keeps all packs aligned.
    bool vec = half % V == 0 && fused_stride % V == 0 && cs_batch_stride % V == 0 && aligned16(fused) && aligned16(q) &&
               aligned16(k) && aligned16(v) && aligned16(cos) && aligned16(sin);
    for (int i = 0; i < 3; i++)
      vec = vec && (adds.part[i] == nullptr || (aligned16(adds.part[i]) && adds.stride[i] % V == 0));
    if (rows == 0) return cudaSuccess;
    const int64_t per_row = all_heads * (vec ? half / V : half);
    const RowGrid g = row_grid(rows, per_row);
    if (!g.ok) return cudaErrorInvalidValue;
    if (vec)
      rope<T, V, Backward><<<g.blocks, g.threads, 0, stream>>>(pf, fused_stride, adds, pq, pk, pv, pc, ps, cs_batch_stride,
                                                               (int)seq, (int)heads, (int)kv_heads, (int)head_dim);
    else
      rope<T, 1, Backward><<<g.blocks, g.threads, 0, stream>>>(pf, fused_stride, adds, pq, pk, pv, pc, ps, cs_batch_stride,
                                                               (int)seq, (int)heads, (int)kv_heads, (int)head_dim);
    return cudaGetLastError();
  });
}

}  // namespace

cudaError_t pi_rope_forward_launch(PiDtype dtype, const void* x, int64_t x_stride, PiPartAdds adds, const void* cos,
                                   const void* sin, int64_t cs_batch_stride, void* q, void* k, void* v, int64_t rows,
                                   int64_t seq, int64_t heads, int64_t kv_heads, int64_t head_dim, cudaStream_t stream) {
  return launch<false>(dtype, const_cast<void*>(x), x_stride, adds, q, k, v, cos, sin, cs_batch_stride, rows, seq, heads,
                       kv_heads, head_dim, stream);
}

cudaError_t pi_rope_backward_launch(PiDtype dtype, const void* dq, const void* dk, const void* dv, const void* cos,
                                    const void* sin, int64_t cs_batch_stride, void* dx, int64_t rows, int64_t seq,
                                    int64_t heads, int64_t kv_heads, int64_t head_dim, cudaStream_t stream) {
  return launch<true>(dtype, dx, (heads + 2 * kv_heads) * head_dim, PiPartAdds{}, const_cast<void*>(dq), const_cast<void*>(dk),
                      const_cast<void*>(dv), cos, sin, cs_batch_stride, rows, seq, heads, kv_heads, head_dim, stream);
}
