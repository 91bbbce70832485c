// C ABI of libpromptintern_native: libtorch operations that TorchSharp 0.107 does not expose, called through P/Invoke
// on TorchSharp's tensor handles (a .NET Tensor's Handle is a torch::Tensor*, LibTorchSharp's `Tensor` typedef).
// Every function returns 0 on success and -1 on failure; pi_last_error() then says why (per calling thread).
#pragma once
#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#define PI_EXPORT extern "C" __attribute__((visibility("default")))

typedef at::Tensor* PiTensor;

PI_EXPORT int pi_abi_version();
PI_EXPORT const char* pi_last_error();
PI_EXPORT const char* pi_torch_version();

// Elementwise dst[i].copy_(src[i]) for n pairs (dtype conversion allowed), as one multi-tensor launch where possible.
PI_EXPORT int pi_foreach_copy(PiTensor* dst, PiTensor* src, int n);
// Scales grads in place so that their joint L2 norm is at most max_norm (no host sync); writes the norm before
// clipping into total_norm (a 0-d float32 tensor on the grads' device) when it is not null.
PI_EXPORT int pi_clip_grad_norm(PiTensor* grads, int n, double max_norm, PiTensor total_norm);
// torch.optim.AdamW(fused=True)'s step: increments each state_steps[i] (0-d float32 on the device), then one fused
// multi-tensor kernel updates params, exp_avgs and exp_avg_sqs. Lists must share device and dtype pairwise.
PI_EXPORT int pi_fused_adamw(PiTensor* params, PiTensor* grads, PiTensor* exp_avgs, PiTensor* exp_avg_sqs,
                             PiTensor* state_steps, int n, double lr, double beta1, double beta2,
                             double weight_decay, double eps);
// The same with the learning rate in `lr` (a 0-d float32 tensor on the parameters' device), so that a captured graph
// follows the schedule. Optional export.
PI_EXPORT int pi_fused_adamw_lr_tensor(PiTensor* params, PiTensor* grads, PiTensor* exp_avgs, PiTensor* exp_avg_sqs,
                                       PiTensor* state_steps, int n, PiTensor lr, double beta1, double beta2,
                                       double weight_decay, double eps);

// The CUDA caching allocator's bytes in use now, their peak and the reserved peak since the last reset (reset_peak != 0
// resets the peaks after reading them).
PI_EXPORT int pi_cuda_memory(int device, int reset_peak, int64_t* allocated, int64_t* peak_allocated, int64_t* peak_reserved);

// y = rms_norm(input, [last dim], weight, eps) as a new tensor (*out, owned by the caller, who frees it with delete;
// TorchSharp wraps it); autograd records it when grad mode is on. Optional: the kit falls back to its own formula.
PI_EXPORT int pi_rms_norm(PiTensor input, PiTensor weight, double eps, PiTensor* out);

// y = scaled_dot_product_attention(q [B,H,T,D], k, v [B,Hkv,S,D], no mask, is_causal, enable_gqa) as a new tensor (*out,
// owned by the caller); autograd records it. Optional, as pi_rms_norm.
PI_EXPORT int pi_sdpa_gqa(PiTensor q, PiTensor k, PiTensor v, int is_causal, PiTensor* out);

// y = silu(gate) * up for gate_up [..., 2I] (gate the first I columns, up the last I; float32, bfloat16 or float16 on
// CUDA, rows may be strided) as a new contiguous [..., I] tensor (*out, owned by the caller). add_gate, add_up (each may
// be null): updates [..., I] in gate_up's dtype added to gate and up first (an adapter's). Autograd records it, its
// backward writing d(gate_up) in one kernel; each update's gradient is a view of its half of d(gate_up). Optional
// (swiglu.cpp + swiglu_kernel.cu, needs nvcc), as pi_rms_norm.
PI_EXPORT int pi_swiglu(PiTensor gate_up, PiTensor add_gate, PiTensor add_up, PiTensor* out);

// Rotary embedding (rotate-half, as Hugging Face Llama) of the fused qkv projection [B, T, (H + 2*Hkv) * D] (q heads,
// then k, then v; float32, bfloat16 or float16 on CUDA; rows may be strided): *q [B, T, H, D] and *k [B, T, Hkv, D]
// rotated by cos and sin ([T, D] for every row or [B, T, D] per row, qkv's dtype), *v [B, T, Hkv, D] copied; all three
// new contiguous tensors owned by the caller. add_q, add_k, add_v (each may be null): updates [B, T, H*D] or
// [B, T, Hkv*D] in qkv's dtype added to those rows first (an adapter's). Autograd records them as one function whose
// backward writes d(qkv) in one kernel; each update's gradient is a view of its rows of d(qkv). Optional (rope.cpp +
// rope_kernel.cu, needs nvcc), as pi_rms_norm.
PI_EXPORT int pi_rope_qkv(PiTensor qkv, PiTensor add_q, PiTensor add_k, PiTensor add_v, PiTensor cos, PiTensor sin,
                          int heads, int kv_heads, PiTensor* q, PiTensor* k, PiTensor* v);

// Mean cross-entropy of logits [rows, vocab] (float32, bfloat16 or float16 on CUDA) against target [rows] (int64; rows
// whose target is ignore_index count for nothing; nan where no row counts) as a new 0-dim fp32 tensor (*loss, owned by
// the caller), with no fp32 copy of the logits; autograd records it, its backward writing d(logits) in the logits'
// dtype in one kernel. Optional (cross_entropy.cpp + cross_entropy_kernel.cu, needs nvcc), as pi_rms_norm.
PI_EXPORT int pi_cross_entropy(PiTensor logits, PiTensor target, int64_t ignore_index, PiTensor* loss);

// libtorch's kineto profiler (optional exports): start records host ops, CUDA runtime calls and, when cuda != 0, the GPU's
// kernels, copies and memsets; range_push/pop mark named user ranges (e.g. one per training step); stop ends the
// profile and, when trace_path is not empty, saves it as a Chrome trace (the format of torch.profiler's
// export_chrome_trace). All from one thread: the profiler's state is per thread.
PI_EXPORT int pi_profiler_start(int cuda);
PI_EXPORT int pi_profiler_range_push(const char* name);
PI_EXPORT int pi_profiler_range_pop();
PI_EXPORT int pi_profiler_stop(const char* trace_path);

// CUDA graphs (at::cuda::CUDAGraph). begin() makes a side stream current on this thread (and starts capturing when
// capture != 0); end() ends the capture if any, restores the previous stream and orders it after the side stream.
// Eager warm-up between begin(capture=0) and end() runs on that same side stream, as PyTorch advises.
PI_EXPORT void* pi_graph_create();
PI_EXPORT int pi_graph_begin(void* graph, int capture);
PI_EXPORT int pi_graph_end(void* graph);
PI_EXPORT int pi_graph_replay(void* graph);
PI_EXPORT void pi_graph_destroy(void* graph);
