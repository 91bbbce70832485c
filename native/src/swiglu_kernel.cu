// SwiGLU over the fused gate_up projection: reads gate and up from one [rows, 2I] buffer (rows may be strided), writes a
// contiguous [rows, I] output, adding adapters' updates of gate and up where given; the backward writes both halves of
// d(gate_up) in the same pass. One block row per input row (row_grid), so no thread divides a 64-bit index. 16-byte vector loads and
// stores where sizes, strides and addresses allow, else one element per thread; fp32 math, one rounding per output.
#include "kernel_util.cuh"

namespace {

__device__ inline float sigmoid(float a) { return 1.f / (1.f + expf(-a)); }

// gate and up at row r, columns c..c+V-1, as floats: the fused output plus the updates given for them.
template <typename T, int V>
__device__ inline void gate_up(const T* x, int64_t x_stride, const PiPartAdds& adds, int64_t r, int64_t c, int64_t inter,
                               float (&g)[V], float (&u)[V]) {
  const T* gate = x + r * x_stride + c;
  auto pg = load<T, V>(gate), pu = load<T, V>(gate + inter);
#pragma unroll
  for (int j = 0; j < V; j++) g[j] = Num<T>::in(pg.v[j]), u[j] = Num<T>::in(pu.v[j]);
  float* into[2] = {g, u};
#pragma unroll
  for (int part = 0; part < 2; part++)
    if (adds.part[part] != nullptr) {
      auto a = load<T, V>(static_cast<const T*>(adds.part[part]) + r * adds.stride[part] + c);
#pragma unroll
      for (int j = 0; j < V; j++) into[part][j] += Num<T>::in(a.v[j]);
    }
}

template <typename T, int V>
__global__ void swiglu_forward(const T* __restrict__ x, int64_t x_stride, PiPartAdds adds, T* __restrict__ out, int64_t inter) {
  const int64_t c = (blockIdx.y * (int64_t)blockDim.x + threadIdx.x) * V, r = blockIdx.x;
  if (c >= inter) return;
  float g[V], u[V];
  gate_up<T, V>(x, x_stride, adds, r, c, inter, g, u);
  Pack<T, V> y;
#pragma unroll
  for (int j = 0; j < V; j++) y.v[j] = Num<T>::out(g[j] * sigmoid(g[j]) * u[j]);
  store<T, V>(out + r * inter + c, y);
}

template <typename T, int V>
__global__ void swiglu_backward(const T* __restrict__ x, int64_t x_stride, PiPartAdds adds, const T* __restrict__ dout,
                                int64_t dout_stride, T* __restrict__ dx, int64_t inter) {
  const int64_t c = (blockIdx.y * (int64_t)blockDim.x + threadIdx.x) * V, r = blockIdx.x;
  if (c >= inter) return;
  float g[V], u[V];
  gate_up<T, V>(x, x_stride, adds, r, c, inter, g, u);
  auto d = load<T, V>(dout + r * dout_stride + c);
  Pack<T, V> dg, du;
#pragma unroll
  for (int j = 0; j < V; j++) {
    float a = g[j], b = u[j], e = Num<T>::in(d.v[j]), s = sigmoid(a);
    dg.v[j] = Num<T>::out(e * b * s * (1.f + a * (1.f - s)));
    du.v[j] = Num<T>::out(e * a * s);
  }
  T* row = dx + r * 2 * inter + c;
  store<T, V>(row, dg);
  store<T, V>(row + inter, du);
}

}  // namespace

namespace {

// Whether every update can be read in packs of V (16-byte aligned rows).
bool adds_vectorisable(const PiPartAdds& adds, int v) {
  for (int i = 0; i < 2; i++)
    if (adds.part[i] != nullptr && (!aligned16(adds.part[i]) || adds.stride[i] % v != 0)) return false;
  return true;
}

}  // namespace

cudaError_t pi_swiglu_forward_launch(PiDtype dtype, const void* x, int64_t x_stride, PiPartAdds adds, void* out,
                                     int64_t rows, int64_t inter, cudaStream_t stream) {
  return dispatch(dtype, [&](auto zero) {
    using T = decltype(zero);
    constexpr int V = 16 / sizeof(T);
    auto px = static_cast<const T*>(x);
    auto po = static_cast<T*>(out);
    if (rows == 0 || inter == 0) return cudaSuccess;
    const bool vec = inter % V == 0 && x_stride % V == 0 && aligned16(x) && aligned16(out) && adds_vectorisable(adds, V);
    const RowGrid g = row_grid(rows, vec ? inter / V : inter);
    if (!g.ok) return cudaErrorInvalidValue;
    if (vec)
      swiglu_forward<T, V><<<g.blocks, g.threads, 0, stream>>>(px, x_stride, adds, po, inter);
    else
      swiglu_forward<T, 1><<<g.blocks, g.threads, 0, stream>>>(px, x_stride, adds, po, inter);
    return cudaGetLastError();
  });
}

cudaError_t pi_swiglu_backward_launch(PiDtype dtype, const void* x, int64_t x_stride, PiPartAdds adds, const void* dout,
                                      int64_t dout_stride, void* dx, int64_t rows, int64_t inter, cudaStream_t stream) {
  return dispatch(dtype, [&](auto zero) {
    using T = decltype(zero);
    constexpr int V = 16 / sizeof(T);
    auto px = static_cast<const T*>(x);
    auto pd = static_cast<const T*>(dout);
    auto pdx = static_cast<T*>(dx);
    if (rows == 0 || inter == 0) return cudaSuccess;
    const bool vec = inter % V == 0 && x_stride % V == 0 && dout_stride % V == 0 && aligned16(x) && aligned16(dout) &&
                     aligned16(dx) && adds_vectorisable(adds, V);
    const RowGrid g = row_grid(rows, vec ? inter / V : inter);
    if (!g.ok) return cudaErrorInvalidValue;
    if (vec)
      swiglu_backward<T, V><<<g.blocks, g.threads, 0, stream>>>(px, x_stride, adds, pd, dout_stride, pdx, inter);
    else
      swiglu_backward<T, 1><<<g.blocks, g.threads, 0, stream>>>(px, x_stride, adds, pd, dout_stride, pdx, inter);
    return cudaGetLastError();
  });
}
