// Launchers of the kit's own CUDA kernels (*.cu, compiled by nvcc without torch's headers), called by the C++ exports
// that wrap them in autograd functions. Tensors arrive as raw pointers with row strides (in elements); each launcher
// returns the CUDA error of its launch (cudaSuccess when it was queued).
#pragma once
#include <cstdint>
#include <cuda_runtime_api.h>

// Element types the kernels take: torch's float32, bfloat16 and float16.
enum PiDtype : int { PI_F32 = 0, PI_BF16 = 1, PI_F16 = 2 };

// Updates added to the parts of a fused projection's output as a kernel reads it (an adapter's, e.g. LoRA's, that would
// otherwise be added in place to a slice of it): part[i] is [rows, width of part i] with row stride stride[i] (in
// elements), or null for none. Parts: gate, up for SwiGLU; q, k, v for RoPE.
struct PiPartAdds {
  const void* part[3];
  int64_t stride[3];
};

// out[r, c] = silu(gate) * up with gate = x[r, c] + adds gate, up = x[r, inter + c] + adds up, for rows x [rows, 2*inter]
// (row stride x_stride), out [rows, inter] contiguous; fp32 math.
cudaError_t pi_swiglu_forward_launch(PiDtype dtype, const void* x, int64_t x_stride, PiPartAdds adds, void* out,
                                     int64_t rows, int64_t inter, cudaStream_t stream);
// dx [rows, 2*inter] contiguous from x (row stride x_stride), the same adds and dout [rows, inter] (row stride
// dout_stride): dx[r, c] = dout * up * sigmoid(gate) * (1 + gate * (1 - sigmoid(gate))), dx[r, inter + c] = dout *
// silu(gate). The adds' gradients are dx's halves.
cudaError_t pi_swiglu_backward_launch(PiDtype dtype, const void* x, int64_t x_stride, PiPartAdds adds, const void* dout,
                                      int64_t dout_stride, void* dx, int64_t rows, int64_t inter, cudaStream_t stream);

// Rotary embedding of the fused qkv projection x [rows = B*T, (H + 2*Hkv) * D] (row stride x_stride; q heads, then k,
// then v), plus adds: q [rows, H, D] and k [rows, Hkv, D] get y[j] = x[j] cos[j] - x[j+D/2] sin[j], y[j+D/2] =
// x[j+D/2] cos[j+D/2] + x[j] sin[j+D/2] (rotate-half), v [rows, Hkv, D] is copied; all three outputs contiguous. cos
// and sin are [Bc, T, D] contiguous with Bc = 1 (shared by the batch, cs_batch_stride 0) or B (cs_batch_stride T*D).
cudaError_t pi_rope_forward_launch(PiDtype dtype, const void* x, int64_t x_stride, PiPartAdds adds, const void* cos,
                                   const void* sin, int64_t cs_batch_stride, void* q, void* k, void* v, int64_t rows,
                                   int64_t seq, int64_t heads, int64_t kv_heads, int64_t head_dim, cudaStream_t stream);
// The backward: dx [rows, (H + 2*Hkv) * D] contiguous from dq, dk, dv (contiguous, shaped as the outputs above):
// dx[j] = dy[j] cos[j] + dy[j+D/2] sin[j+D/2], dx[j+D/2] = dy[j+D/2] cos[j+D/2] - dy[j] sin[j]; dv copied. The adds'
// gradients are dx's columns of their parts.
cudaError_t pi_rope_backward_launch(PiDtype dtype, const void* dq, const void* dk, const void* dv, const void* cos,
                                    const void* sin, int64_t cs_batch_stride, void* dx, int64_t rows, int64_t seq,
                                    int64_t heads, int64_t kv_heads, int64_t head_dim, cudaStream_t stream);

// Cross-entropy of logits [rows, vocab] (row stride `stride`, unit column stride) against target [rows] (int64; rows
// whose target is `ignore` count for nothing): lse[r] = log(sum_c exp(logits[r, c])) and loss[r] = lse[r] -
// logits[r, target[r]] (0 where ignored, nan where the target is outside the vocabulary), both fp32.
cudaError_t pi_cross_entropy_forward_launch(PiDtype dtype, const void* logits, int64_t stride, const int64_t* target,
                                            int64_t ignore, int64_t rows, int64_t vocab, float* lse, float* loss,
                                            cudaStream_t stream);
// The backward: dx [rows, vocab] contiguous in the logits' dtype, dx[r, c] = scale * (exp(logits[r, c] - lse[r]) -
// [c == target[r]]) for counted rows and 0 for ignored ones; scale is one fp32 value on the device (d(loss) / count).
cudaError_t pi_cross_entropy_backward_launch(PiDtype dtype, const void* logits, int64_t stride, const int64_t* target,
                                             int64_t ignore, int64_t rows, int64_t vocab, const float* lse,
                                             const float* scale, void* dx, cudaStream_t stream);
