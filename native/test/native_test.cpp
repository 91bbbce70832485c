// Checks each export of libpromptintern_native against a reference computed with plain ATen ops (float64 where it
// matters), on fresh random inputs. Exit 0 only when every check passes; one line per check.
#include "../src/pi_native.h"
#include <torch/csrc/autograd/autograd.h>
#include <c10/cuda/CUDAFunctions.h>
#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <string>
#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>


static int failures = 0;

static void check(const char* name, double err, double tol) {
  bool ok = std::isfinite(err) && err <= tol;
  std::printf("%s %-34s rel_err=%.3e (tol %.3g)\n", ok ? "PASS" : "FAIL", name, err, tol);
  if (!ok) failures++;
}

static double rel(const at::Tensor& out, const at::Tensor& ref) {
  auto o = out.to(at::kDouble).cpu(), r = ref.to(at::kDouble).cpu();
  return (o - r).norm().item<double>() / std::max(r.norm().item<double>(), 1e-30);
}

static std::vector<PiTensor> handles(std::vector<at::Tensor>& ts) {
  std::vector<PiTensor> h;
  for (auto& t : ts) h.push_back(&t);
  return h;
}

static void require(int rc) {
  if (rc != 0) { std::printf("FAIL native call: %s\n", pi_last_error()); std::exit(1); }
}

// Three AdamW steps through the fused kernel vs the textbook update in float64.
static void test_fused_adamw(at::ScalarType dtype, double tol) {
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(dtype);
  std::vector<std::vector<int64_t>> shapes = {{257, 129}, {4096}, {3, 5, 7}};
  std::vector<at::Tensor> p, g, m, v, s, pr, mr, vr;
  for (auto& sh : shapes) {
    p.push_back(at::randn(sh, opt)); m.push_back(at::zeros(sh, opt)); v.push_back(at::zeros(sh, opt));
    s.push_back(at::zeros({}, opt.dtype(at::kFloat)));
    pr.push_back(p.back().to(at::kDouble)); mr.push_back(at::zeros(sh, pr.back().options()));
    vr.push_back(at::zeros(sh, pr.back().options()));
  }
  const double lr = 1e-2, b1 = 0.9, b2 = 0.95, wd = 0.1, eps = 1e-8;
  for (int step = 1; step <= 3; step++) {
    g.clear();
    for (auto& sh : shapes) g.push_back(at::randn(sh, opt));
    auto hp = handles(p), hg = handles(g), hm = handles(m), hv = handles(v), hs = handles(s);
    require(pi_fused_adamw(hp.data(), hg.data(), hm.data(), hv.data(), hs.data(), (int)p.size(), lr, b1, b2, wd, eps));
    for (size_t i = 0; i < p.size(); i++) {
      auto gd = g[i].to(at::kDouble);
      pr[i].mul_(1 - lr * wd);
      mr[i].mul_(b1).add_(gd, 1 - b1);
      vr[i].mul_(b2).addcmul_(gd, gd, 1 - b2);
      auto mhat = mr[i] / (1 - std::pow(b1, step)), vhat = vr[i] / (1 - std::pow(b2, step));
      pr[i].sub_(lr * mhat / (vhat.sqrt() + eps));
    }
  }
  double err = 0;
  for (size_t i = 0; i < p.size(); i++) err = std::max(err, rel(p[i], pr[i]));
  check(dtype == at::kFloat ? "fused_adamw fp32 (3 steps)" : "fused_adamw bf16 (3 steps)", err, tol);
  check("fused_adamw step counters", std::abs(s[0].item<float>() - 3.0), 0);
}

static void test_clip() {
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(at::kFloat);
  std::vector<at::Tensor> g = {at::randn({300, 200}, opt) * 3, at::randn({1000}, opt)};
  auto ref_total = at::cat({g[0].flatten(), g[1].flatten()}).to(at::kDouble).norm();
  std::vector<at::Tensor> expect;
  double coef = std::min(1.0, 1.0 / (ref_total.item<double>() + 1e-6));
  for (auto& t : g) expect.push_back(t.to(at::kDouble) * coef);
  auto total = at::zeros({}, opt);
  auto hg = handles(g);
  require(pi_clip_grad_norm(hg.data(), 2, 1.0, &total));
  check("clip_grad_norm total", rel(total, ref_total), 1e-5);
  check("clip_grad_norm scaled grads", std::max(rel(g[0], expect[0]), rel(g[1], expect[1])), 1e-5);
}

static void test_foreach_copy() {
  std::vector<at::Tensor> src = {at::randn({64, 64}, at::kCUDA), at::randn({10}, at::kCUDA)};
  std::vector<at::Tensor> dst = {at::empty({64, 64}, at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16)).fill_(NAN),
                                 at::empty({10}, at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16)).fill_(NAN)};
  auto hd = handles(dst), hs = handles(src);
  require(pi_foreach_copy(hd.data(), hs.data(), 2));
  check("foreach_copy fp32 -> bf16", std::max(rel(dst[0], src[0].to(at::kBFloat16)), rel(dst[1], src[1].to(at::kBFloat16))), 0);
}

// Captures y = relu(x @ w) + counter; counter += 1 (state carried between replays), replays on new inputs.
static void test_graph() {
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(at::kFloat);
  auto x = at::randn({64, 128}, opt), w = at::randn({128, 32}, opt), counter = at::zeros({1}, opt);
  at::Tensor y;
  auto body = [&] { y = at::relu(at::matmul(x, w)) + counter; counter.add_(1); };
  void* g = pi_graph_create();
  require(g ? 0 : -1);
  require(pi_graph_begin(g, 0)); body(); require(pi_graph_end(g));     // warm-up on the side stream
  counter.zero_();
  require(pi_graph_begin(g, 1)); body(); require(pi_graph_end(g));     // capture: nothing runs yet
  check("graph capture runs nothing", counter.item<float>(), 0);
  double err = 0;
  for (int r = 0; r < 3; r++) {
    x.copy_(at::randn({64, 128}, opt));
    y.fill_(NAN);
    require(pi_graph_replay(g));
    auto ref = at::relu(at::matmul(x.to(at::kDouble), w.to(at::kDouble))) + r;
    err = std::max(err, rel(y, ref));
  }
  check("graph replay == eager (3 replays)", err, 1e-3);  // tf32 may be on for matmuls
  check("graph replay carries state", std::abs(counter.item<float>() - 3), 0);
  bool threw = pi_graph_begin(g, 1) != 0;
  std::printf("%s graph refuses a second capture: %s\n", threw ? "PASS" : "FAIL", pi_last_error());
  if (!threw) failures++;
  pi_graph_destroy(g);
}

// Peak statistics follow a large allocation and its release.
static void test_memory() {
  int64_t now = 0, peak = 0, reserved = 0;
  require(pi_cuda_memory(0, 1, &now, &peak, &reserved));
  int64_t before = now;
  { auto big = at::empty({256 << 20}, at::TensorOptions().device(at::kCUDA).dtype(at::kByte)); big.fill_(1); }
  require(pi_cuda_memory(0, 0, &now, &peak, &reserved));
  check("cuda_memory peak sees 256 MiB", std::abs((double)(peak - before) - (256 << 20)) / (256 << 20), 0.01);
  check("cuda_memory current back to before", std::abs((double)(now - before)), 0);
}

#ifndef PI_NO_NORM
// rms_norm forward and both gradients vs the formula in float64 under autograd.
static void test_rms_norm() {
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(at::kFloat);
  auto x = at::randn({4, 33, 384}, opt).requires_grad_(true);
  auto w = (at::rand({384}, opt) + 0.5).requires_grad_(true);
  PiTensor out = nullptr;
  require(pi_rms_norm(&x, &w, 1e-5, &out));
  at::Tensor y = *out;
  delete out;
  auto xr = x.detach().to(at::kDouble).requires_grad_(true), wr = w.detach().to(at::kDouble).requires_grad_(true);
  auto ref = xr * at::rsqrt(xr.pow(2).mean({-1}, true) + 1e-5) * wr;
  check("rms_norm forward fp32", rel(y.detach(), ref.detach()), 1e-5);
  auto g = at::randn_like(y);
  y.backward(g);
  ref.backward(g.to(at::kDouble));
  check("rms_norm grad input", rel(x.grad(), xr.grad()), 1e-4);
  check("rms_norm grad weight", rel(w.grad(), wr.grad()), 1e-4);
}
#endif

#ifndef PI_NO_ADAMW_TENSOR_LR
// The tensor-lr AdamW step equals the double-lr one from the same state.
static void test_fused_adamw_lr_tensor() {
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(at::kFloat);
  std::vector<at::Tensor> p = {at::randn({33, 17}, opt)}, g = {at::randn({33, 17}, opt)};
  std::vector<at::Tensor> p2 = {p[0].clone()}, m = {at::zeros({33, 17}, opt)}, v = {at::zeros({33, 17}, opt)},
                          m2 = {m[0].clone()}, v2 = {v[0].clone()}, s = {at::zeros({}, opt)}, s2 = {at::zeros({}, opt)};
  auto lr = at::zeros({}, opt).fill_(3e-3);
  for (int step = 0; step < 2; step++) {
    auto hp = handles(p), hg = handles(g), hm = handles(m), hv = handles(v), hs = handles(s);
    require(pi_fused_adamw(hp.data(), hg.data(), hm.data(), hv.data(), hs.data(), 1, 3e-3, 0.9, 0.95, 0.1, 1e-8));
    auto hp2 = handles(p2), hm2 = handles(m2), hv2 = handles(v2), hs2 = handles(s2);
    require(pi_fused_adamw_lr_tensor(hp2.data(), hg.data(), hm2.data(), hv2.data(), hs2.data(), 1, &lr, 0.9, 0.95, 0.1, 1e-8));
  }
  check("fused_adamw lr tensor == lr double", rel(p2[0], p[0]), 1e-6);
}
#endif

#ifndef PI_NO_ATTENTION
// Grouped-query SDPA vs the same attention over keys and values repeated to the query heads: output and gradients.
static void test_sdpa_gqa() {
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16);
  auto q = at::randn({2, 8, 64, 64}, opt).requires_grad_(true);
  auto k = at::randn({2, 2, 64, 64}, opt).requires_grad_(true);
  auto v = at::randn({2, 2, 64, 64}, opt).requires_grad_(true);
  PiTensor out = nullptr;
  require(pi_sdpa_gqa(&q, &k, &v, 1, &out));
  at::Tensor y = *out;
  delete out;
  auto qr = q.detach().to(at::kFloat).requires_grad_(true), kr = k.detach().to(at::kFloat).requires_grad_(true),
       vr = v.detach().to(at::kFloat).requires_grad_(true);
  auto rep = [](const at::Tensor& t) { return t.unsqueeze(2).expand({2, 2, 4, 64, 64}).reshape({2, 8, 64, 64}); };
  auto ref = at::scaled_dot_product_attention(qr, rep(kr), rep(vr), std::nullopt, 0.0, true);
  check("sdpa_gqa forward bf16", rel(y.detach(), ref.detach()), 2e-2);
  auto g = at::randn_like(y);
  y.backward(g);
  ref.backward(g.to(at::kFloat));
  check("sdpa_gqa grad q", rel(q.grad(), qr.grad()), 2e-2);
  check("sdpa_gqa grad k, v", std::max(rel(k.grad(), kr.grad()), rel(v.grad(), vr.grad())), 2e-2);
}
#endif

#if !defined(PI_NO_SWIGLU) || !defined(PI_NO_ROPE) || !defined(PI_NO_CROSS_ENTROPY)
// Milliseconds per call of body over `reps` calls after one untimed call, the GPU drained before and after.
template <typename F> static double ms_per_call(int reps, F&& body) {
  body();
  c10::cuda::device_synchronize();
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; i++) body();
  c10::cuda::device_synchronize();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / reps;
}

static const char* dtype_name(at::ScalarType t) { return t == at::kFloat ? "fp32" : t == at::kBFloat16 ? "bf16" : "fp16"; }

static std::string label(const char* fmt, ...) {
  char buf[160];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return buf;
}

// The gradient of a leaf outside the columns [offset, offset + width) of its last dimension: must be all zero.
static double outside(const at::Tensor& grad, int64_t offset, int64_t width) {
  auto g = grad.clone();
  g.narrow(-1, offset, width).zero_();
  return g.abs().max().item<double>();
}

// A call that must fail (CPU tensor, bad shape): -1 and a message.
static void check_refused(const char* name, int rc) {
  std::string why = pi_last_error();
  bool ok = rc != 0 && !why.empty();
  std::printf("%s %s refused: %s\n", ok ? "PASS" : "FAIL", name, why.substr(0, why.find('\n')).c_str());
  if (!ok) failures++;
}
#endif

#ifndef PI_NO_SWIGLU
static at::Tensor swiglu(at::Tensor& x, at::Tensor* add_gate = nullptr, at::Tensor* add_up = nullptr) {
  PiTensor out = nullptr;
  require(pi_swiglu(&x, add_gate, add_up, &out));
  at::Tensor y = *out;
  delete out;
  return y;
}

// gate_up [rows..., 2I] cut at column `offset` from a leaf [rows..., 2I + pad] (pad > 0: strided rows; odd offset:
// unaligned, the one-element path), with updates of gate and/or up (adds bit 0, bit 1; cut the same way), vs
// silu(gate) * up under float64 autograd: output, d(gate_up), the updates' gradients, zero gradient outside the cut,
// contiguous output; in half precision also the largest error vs the eager half-precision form's.
static void test_swiglu_case(at::ScalarType dtype, std::vector<int64_t> rows, int64_t inter, int64_t pad, int64_t offset,
                             double tol, int adds = 0) {
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(dtype);
  auto shape = rows, half_shape = rows;
  shape.push_back(2 * inter + pad);
  half_shape.push_back(inter + pad);
  auto leaf = (at::randn(shape, opt) * 2).requires_grad_(true);
  auto x = leaf.narrow(-1, offset, 2 * inter);
  at::Tensor add_leaf[2], add[2];
  for (int i = 0; i < 2; i++)
    if (adds >> i & 1) {
      add_leaf[i] = at::randn(half_shape, opt).requires_grad_(true);
      add[i] = add_leaf[i].narrow(-1, offset % (pad + 1), inter);
    }
  auto y = swiglu(x, adds & 1 ? &add[0] : nullptr, adds & 2 ? &add[1] : nullptr);
  auto xr = x.detach().to(at::kDouble).requires_grad_(true);
  at::Tensor add_ref[2];
  auto halves = xr.chunk(2, -1);
  at::Tensor gate = halves[0], up = halves[1];
  for (int i = 0; i < 2; i++)
    if (adds >> i & 1) {
      add_ref[i] = add[i].detach().to(at::kDouble).requires_grad_(true);
      (i == 0 ? gate : up) = (i == 0 ? gate : up) + add_ref[i];
    }
  auto ref = at::silu(gate) * up;
  auto g = at::randn_like(y);
  y.backward(g);
  ref.backward(g.to(at::kDouble));
  auto name = label("swiglu %s rows=%lld I=%lld pad=%lld off=%lld adds=%d", dtype_name(dtype), (long long)(y.numel() / inter),
                    (long long)inter, (long long)pad, (long long)offset, adds);
  check((name + " forward").c_str(), rel(y.detach(), ref.detach()), tol);
  check((name + " d(gate_up)").c_str(), rel(leaf.grad().narrow(-1, offset, 2 * inter), xr.grad()), tol);
  const char* parts[2] = {"gate", "up"};
  for (int i = 0; i < 2; i++)
    if (adds >> i & 1)
      check((name + " d(add_" + parts[i] + ")").c_str(), rel(add_leaf[i].grad().narrow(-1, offset % (pad + 1), inter), add_ref[i].grad()), tol);
  if (pad > 0) check((name + " zero grad outside").c_str(), outside(leaf.grad(), offset, 2 * inter), 0);
  bool layout = y.is_contiguous() && y.size(-1) == inter && y.dim() == x.dim() && y.scalar_type() == dtype;
  std::printf("%s %s output contiguous [..., I], same dtype\n", layout ? "PASS" : "FAIL", name.c_str());
  if (!layout) failures++;
  if (dtype != at::kFloat) {
    auto hx = x.detach().chunk(2, -1);
    auto eager_gate = adds & 1 ? hx[0] + add[0].detach() : hx[0], eager_up = adds & 2 ? hx[1] + add[1].detach() : hx[1];
    auto eager = at::silu(eager_gate) * eager_up;
    double mine = (y.detach().to(at::kDouble) - ref.detach()).abs().max().item<double>();
    double theirs = (eager.to(at::kDouble) - ref.detach()).abs().max().item<double>();
    check((name + " max err / eager's").c_str(), mine / std::max(theirs, 1e-30), 1.25);
  }
}

static void test_swiglu() {
  test_swiglu_case(at::kFloat, {3, 37}, 64, 0, 0, 1e-5);       // contiguous, vector path
  test_swiglu_case(at::kFloat, {3, 37}, 37, 3, 1, 1e-5);       // odd I, strided rows, unaligned
  test_swiglu_case(at::kBFloat16, {4, 50}, 256, 16, 0, 1e-2);  // strided rows, vector path
  test_swiglu_case(at::kBFloat16, {4, 50}, 256, 8, 8, 1e-2);   // cut at a 16-byte boundary
  test_swiglu_case(at::kBFloat16, {2, 33}, 37, 2, 1, 1e-2);    // odd I, unaligned
  test_swiglu_case(at::kBFloat16, {1, 64}, 11008, 0, 0, 1e-2); // the 7B shape's I
  test_swiglu_case(at::kHalf, {2, 40}, 128, 0, 0, 2e-3);
  test_swiglu_case(at::kFloat, {6000000}, 3, 0, 0, 1e-5);      // more rows than a grid's y or z extent holds
  test_swiglu_case(at::kBFloat16, {4, 50}, 256, 16, 0, 1e-2, 3); // gate and up updates (LoRA), strided
  test_swiglu_case(at::kFloat, {3, 37}, 37, 3, 1, 1e-5, 2);      // up only, unaligned: the one-element path
  // The no-grad forward (activation checkpointing's first pass) records nothing and matches the recorded one bitwise.
  auto x = at::randn({2, 16, 96}, at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16)).requires_grad_(true);
  auto recorded = swiglu(x);
  at::Tensor plain;
  {
    at::NoGradGuard no_grad;
    plain = swiglu(x);
  }
  bool same = !plain.requires_grad() && recorded.requires_grad() && at::equal(plain, recorded.detach());
  std::printf("%s swiglu under no_grad: not recorded, same values\n", same ? "PASS" : "FAIL");
  if (!same) failures++;
  PiTensor out = nullptr;
  auto cpu = at::randn({4, 8});
  check_refused("swiglu on a CPU tensor", pi_swiglu(&cpu, nullptr, nullptr, &out));
  auto odd = at::randn({4, 7}, at::kCUDA);
  check_refused("swiglu with an odd last dimension", pi_swiglu(&odd, nullptr, nullptr, &out));
  auto gu = at::randn({4, 8}, at::kCUDA), narrow_up = at::randn({4, 3}, at::kCUDA);
  check_refused("swiglu with an up update of the wrong width", pi_swiglu(&gu, nullptr, &narrow_up, &out));
}
#endif

#ifndef PI_NO_ROPE
// rotate-half RoPE of q and k heads of qkv [B, T, (H + 2Hkv) D] in float64 under autograd, the kit's eager formula.
static std::vector<at::Tensor> rope_reference(const at::Tensor& xr, const at::Tensor& cos, const at::Tensor& sin, int64_t h, int64_t hkv) {
  const int64_t b = xr.size(0), t = xr.size(1), d = xr.size(2) / (h + 2 * hkv);
  auto parts = xr.split_with_sizes({(h + hkv) * d, hkv * d}, -1);
  auto qk = parts[0].view({b, t, h + hkv, d});
  auto c = (cos.dim() == 2 ? cos.unsqueeze(1) : cos.unsqueeze(2)).to(at::kDouble);  // [T,1,D] or [B,T,1,D]
  auto s = (sin.dim() == 2 ? sin.unsqueeze(1) : sin.unsqueeze(2)).to(at::kDouble);
  auto rotated = at::cat({-qk.narrow(-1, d / 2, d / 2), qk.narrow(-1, 0, d / 2)}, -1);
  auto y = qk * c + rotated * s;
  return {y.narrow(2, 0, h), y.narrow(2, h, hkv), parts[1].view({b, t, hkv, d})};
}

// cos and sin tables of RoPE (base 10000) for positions 0..max_pos-1, [max_pos, d] in dtype on CUDA.
static std::pair<at::Tensor, at::Tensor> rope_tables(int64_t max_pos, int64_t d, at::ScalarType dtype) {
  auto inv = at::pow(10000.0, -at::arange(0, d, 2, at::kFloat) / (double)d);
  auto freqs = at::outer(at::arange(max_pos, at::kFloat), inv).to(at::kDouble);
  auto emb = at::cat({freqs, freqs}, -1);
  return {emb.cos().to(dtype).to(at::kCUDA), emb.sin().to(dtype).to(at::kCUDA)};
}

// One shape: qkv cut from a leaf with `pad` extra columns (strided rows), cos/sin from the kit's table ([T, D] slice
// shared by the batch, or [B, T, D] gathered per row's positions), updates for the parts in `adds` (bit 0 q, 1 k, 2 v;
// strided too), vs the reference: q, k, v, d(qkv), the updates' gradients, layouts.
static void test_rope_case(at::ScalarType dtype, int64_t b, int64_t t, int64_t h, int64_t hkv, int64_t d, int64_t pad,
                           bool per_row, double tol, int adds = 0) {
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(dtype);
  const int64_t width = (h + 2 * hkv) * d, max_pos = t + 40;
  auto [cos_t, sin_t] = rope_tables(max_pos, d, dtype);
  at::Tensor cos, sin;
  if (per_row) {
    auto pos = at::randint(0, max_pos, {b, t}, at::TensorOptions().device(at::kCUDA).dtype(at::kLong));
    cos = cos_t.index_select(0, pos.flatten()).view({b, t, d});
    sin = sin_t.index_select(0, pos.flatten()).view({b, t, d});
  } else {
    cos = cos_t.narrow(0, 7, t);
    sin = sin_t.narrow(0, 7, t);
  }
  auto leaf = at::randn({b, t, width + pad}, opt).requires_grad_(true);
  auto x = leaf.narrow(-1, 0, width);
  const int64_t part_width[3] = {h * d, hkv * d, hkv * d};
  at::Tensor add_leaf[3], add[3], add_ref[3];
  PiTensor add_handle[3] = {nullptr, nullptr, nullptr};
  for (int i = 0; i < 3; i++) {
    add_ref[i] = at::zeros({b, t, part_width[i]}, opt.dtype(at::kDouble));
    if (!(adds >> i & 1)) continue;
    add_leaf[i] = at::randn({b, t, part_width[i] + pad}, opt).requires_grad_(true);
    add[i] = add_leaf[i].narrow(-1, pad, part_width[i]);
    add_handle[i] = &add[i];
    add_ref[i] = add[i].detach().to(at::kDouble).requires_grad_(true);
  }
  PiTensor pq = nullptr, pk = nullptr, pv = nullptr;
  require(pi_rope_qkv(&x, add_handle[0], add_handle[1], add_handle[2], &cos, &sin, (int)h, (int)hkv, &pq, &pk, &pv));
  std::vector<at::Tensor> out = {*pq, *pk, *pv};
  delete pq; delete pk; delete pv;
  auto xr = x.detach().to(at::kDouble).requires_grad_(true);
  auto ref = rope_reference(xr + at::cat({add_ref[0], add_ref[1], add_ref[2]}, -1), cos, sin, h, hkv);
  auto name = label("rope %s B=%lld T=%lld H=%lld Hkv=%lld D=%lld pad=%lld %s adds=%d", dtype_name(dtype), (long long)b,
                    (long long)t, (long long)h, (long long)hkv, (long long)d, (long long)pad, per_row ? "per-row" : "shared", adds);
  const char* parts[] = {"q", "k", "v"};
  at::Tensor loss, loss_ref;
  for (int i = 0; i < 3; i++) {
    // v is a copy unless it has an update (then one rounding of a float sum).
    check((name + " " + parts[i]).c_str(), rel(out[i].detach(), ref[i].detach()), i == 2 && !(adds & 4) ? 0 : tol);
    bool layout = out[i].is_contiguous() && out[i].sizes() == ref[i].sizes() && out[i].scalar_type() == dtype;
    if (!layout) { std::printf("FAIL %s %s layout %s\n", name.c_str(), parts[i], c10::str(out[i].sizes()).c_str()); failures++; }
    auto g = at::randn_like(out[i]);
    auto term = (out[i] * g).sum(), term_ref = (ref[i] * g.to(at::kDouble)).sum();
    loss = i == 0 ? term : loss + term;
    loss_ref = i == 0 ? term_ref : loss_ref + term_ref;
  }
  loss.backward();
  loss_ref.backward();
  check((name + " d(qkv)").c_str(), rel(leaf.grad().narrow(-1, 0, width), xr.grad()), tol);
  if (pad > 0) check((name + " zero grad outside").c_str(), outside(leaf.grad(), 0, width), 0);
  for (int i = 0; i < 3; i++)
    if (adds >> i & 1) check((name + " d(add_" + parts[i] + ")").c_str(), rel(add_leaf[i].grad().narrow(-1, pad, part_width[i]), add_ref[i].grad()), tol);
}

// Milliseconds per call of the forward (with and without q and v updates) and of the backward at the Llama-2-7B
// training shape (4 x 2,048 rows, 32 heads of 128, bf16): a reading for the profile, not a check.
static void time_rope_7b() {
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16);
  const int64_t b = 4, t = 2048, h = 32, d = 128;
  auto ms = [](auto&& body) { return ms_per_call(20, body); };
  auto [cos_t, sin_t] = rope_tables(t, d, at::kBFloat16);
  auto x = at::randn({b, t, 3 * h * d}, opt).requires_grad_(true);
  auto uq = at::randn({b, t, h * d}, opt).requires_grad_(true), uv = at::randn({b, t, h * d}, opt).requires_grad_(true);
  auto call = [&](PiTensor aq, PiTensor av) {
    PiTensor q = nullptr, k = nullptr, v = nullptr;
    require(pi_rope_qkv(&x, aq, nullptr, av, &cos_t, &sin_t, (int)h, (int)h, &q, &k, &v));
    std::vector<at::Tensor> out = {*q, *k, *v};
    delete q; delete k; delete v;
    return out;
  };
  double plain = ms([&] { at::NoGradGuard off; call(nullptr, nullptr); });
  double with_adds = ms([&] { at::NoGradGuard off; call(&uq, &uv); });
  auto out = call(&uq, &uv);
  std::vector<at::Tensor> grads = {at::randn_like(out[0]), at::randn_like(out[1]), at::randn_like(out[2])};
  double backward = ms([&] { torch::autograd::grad(out, {x, uq, uv}, grads, /*retain_graph=*/true); });
  std::printf("TIME rope bf16 4x2048 32 heads of 128: forward %.3f ms, forward with q and v updates %.3f ms, backward %.3f ms\n",
              plain, with_adds, backward);
}

static void test_rope() {
  test_rope_case(at::kBFloat16, 2, 33, 4, 2, 64, 0, false, 1e-2);   // grouped heads, vector path
  test_rope_case(at::kBFloat16, 2, 33, 4, 2, 64, 8, true, 1e-2);    // strided rows, per-row positions
  test_rope_case(at::kFloat, 2, 17, 3, 1, 12, 1, true, 1e-5);       // D/2 = 6: the one-element path
  test_rope_case(at::kFloat, 3, 20, 2, 2, 64, 0, false, 1e-5);
  test_rope_case(at::kHalf, 1, 64, 8, 8, 128, 0, false, 2e-3);
  test_rope_case(at::kBFloat16, 1, 256, 32, 32, 128, 0, false, 1e-2); // the 7B shape's heads
  test_rope_case(at::kBFloat16, 2, 33, 4, 2, 64, 8, true, 1e-2, 5);    // q and v updates (LoRA q,v), strided
  test_rope_case(at::kFloat, 2, 17, 3, 1, 12, 1, false, 1e-5, 7);      // every part updated, the one-element path
  test_rope_case(at::kBFloat16, 1, 64, 32, 32, 128, 0, false, 1e-2, 2); // k only
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16);
  auto x = at::randn({1, 4, 4 * 16}, opt), cos = at::randn({4, 16}, opt), sin = at::randn({4, 16}, opt);
  PiTensor q = nullptr, k = nullptr, v = nullptr;
  check_refused("rope_qkv with heads that do not divide qkv", pi_rope_qkv(&x, nullptr, nullptr, nullptr, &cos, &sin, 3, 1, &q, &k, &v));
  auto cos_short = at::randn({3, 16}, opt);
  check_refused("rope_qkv with a cos table of the wrong length", pi_rope_qkv(&x, nullptr, nullptr, nullptr, &cos_short, &sin, 2, 1, &q, &k, &v));
  auto wide = at::randn({1, 4, 2 * 16 + 1}, opt);
  check_refused("rope_qkv with a q update of the wrong width", pi_rope_qkv(&x, &wide, nullptr, nullptr, &cos, &sin, 2, 1, &q, &k, &v));
  time_rope_7b();
}
#endif

#ifndef PI_NO_PROFILER
// A profiled range around a matrix product: the saved Chrome trace holds the range and at least one GPU kernel.
static void test_profiler() {
  auto a = at::randn({512, 512}, at::kCUDA);
  const char* path = "/tmp/pi_profiler_test_trace.json";
  std::remove(path);
  require(pi_profiler_start(1));
  require(pi_profiler_range_push("pi_step#0"));
  auto c = at::matmul(a, a);
  require(pi_profiler_range_pop());
  c.sum().item<float>();  // waits for the kernel
  require(pi_profiler_stop(path));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto trace = text.str();
  bool ok = trace.find("\"pi_step#0\"") != std::string::npos && trace.find("\"kernel\"") != std::string::npos;
  std::printf("%s profiler trace has the range and a kernel (%zu bytes)\n", ok ? "PASS" : "FAIL", trace.size());
  if (!ok) failures++;
  bool threw = pi_profiler_range_pop() != 0;
  std::string why = pi_last_error();
  std::printf("%s profiler refuses a pop with no open range: %s\n", threw ? "PASS" : "FAIL", why.substr(0, why.find('\n')).c_str());
  if (!threw) failures++;
}
#endif

#ifndef PI_NO_CROSS_ENTROPY
static at::Tensor cross_entropy(const at::Tensor& logits, const at::Tensor& target, int64_t ignore) {
  PiTensor out = nullptr;
  require(pi_cross_entropy(const_cast<at::Tensor*>(&logits), const_cast<at::Tensor*>(&target), ignore, &out));
  at::Tensor y = *out;
  delete out;
  return y;
}

// logits [rows, vocab] cut from a leaf with `pad` extra columns (strided rows), every third target ignored, vs
// torch's cross_entropy over the float64 logits: loss and d(logits), the gradient's dtype.
static void test_cross_entropy_case(at::ScalarType dtype, int64_t rows, int64_t vocab, int64_t pad, double tol) {
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(dtype);
  auto leaf = (at::randn({rows, vocab + pad}, opt) * 3).requires_grad_(true);
  auto x = leaf.narrow(1, 0, vocab);
  auto target = at::randint(0, vocab, {rows}, opt.dtype(at::kLong));
  target.index_put_({at::arange(0, rows, 3, opt.dtype(at::kLong))}, -100);
  auto loss = cross_entropy(x, target, -100);
  auto xr = x.detach().to(at::kDouble).requires_grad_(true);
  auto ref = at::cross_entropy_loss(xr, target, {}, at::Reduction::Mean, -100);
  loss.backward();
  ref.backward();
  auto name = label("cross_entropy %s rows=%lld V=%lld pad=%lld", dtype_name(dtype), (long long)rows, (long long)vocab, (long long)pad);
  check((name + " loss").c_str(), rel(loss.detach(), ref.detach()), dtype == at::kFloat ? 1e-5 : 1e-3);
  check((name + " d(logits)").c_str(), rel(leaf.grad().narrow(1, 0, vocab), xr.grad()), tol);
  bool layout = loss.scalar_type() == at::kFloat && loss.dim() == 0 && leaf.grad().scalar_type() == dtype;
  std::printf("%s %s fp32 scalar loss, gradient in the logits' dtype\n", layout ? "PASS" : "FAIL", name.c_str());
  if (!layout) failures++;
}

// Milliseconds per forward + backward at smol135m's training shape (16 x 1,024 rows, 49,152 vocabulary, bf16) against
// the eager form (fp32 copy, cross_entropy and their backwards): a reading, not a check.
static void time_cross_entropy() {
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16);
  const int64_t rows = 16 * 1024, vocab = 49152;
  auto ms = [](auto&& body) { return ms_per_call(10, body); };
  auto x = at::randn({rows, vocab}, opt).requires_grad_(true);
  auto target = at::randint(0, vocab, {rows}, opt.dtype(at::kLong));
  double mine = ms([&] { cross_entropy(x, target, -100).backward(); });
  double eager = ms([&] { at::cross_entropy_loss(x.to(at::kFloat), target, {}, at::Reduction::Mean, -100).backward(); });
  std::printf("TIME cross_entropy bf16 16384 x 49152, forward + backward: %.3f ms, eager (fp32 copy) %.3f ms\n", mine, eager);
}

static void test_cross_entropy() {
  test_cross_entropy_case(at::kBFloat16, 37, 1000, 0, 1e-2);   // vector path
  test_cross_entropy_case(at::kBFloat16, 37, 1001, 7, 1e-2);   // odd vocabulary, strided rows: the one-element path
  test_cross_entropy_case(at::kFloat, 19, 515, 5, 1e-5);
  test_cross_entropy_case(at::kHalf, 8, 32000, 0, 1e-2);       // the 7B shape's vocabulary
  auto opt = at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16);
  auto x = at::randn({4, 16}, opt);
  auto all_ignored = at::full({4}, -100, opt.dtype(at::kLong));
  bool nan = std::isnan(cross_entropy(x, all_ignored, -100).item<float>());
  std::printf("%s cross_entropy with every target ignored is nan (as torch's mean)\n", nan ? "PASS" : "FAIL");
  if (!nan) failures++;
  PiTensor out = nullptr;
  auto short_target = at::zeros({3}, opt.dtype(at::kLong));
  check_refused("cross_entropy with a target of the wrong length", pi_cross_entropy(&x, &short_target, -100, &out));
  auto int_target = at::zeros({4}, opt.dtype(at::kInt));
  check_refused("cross_entropy with an int32 target", pi_cross_entropy(&x, &int_target, -100, &out));
  time_cross_entropy();
}
#endif

// native_test [core|swiglu|cross_entropy|rope_qkv]: one group of checks (scripts/gpu/test-native.sh runs each group in
// its own process, so that a kernel which faults the CUDA context fails only its own group and the kit can switch that
// kernel off by name); no argument runs every group.
int main(int argc, char** argv) {
  const std::string only = argc > 1 ? argv[1] : "";
  const std::vector<std::string> groups = {"core", "swiglu", "cross_entropy", "rope_qkv"};
  if (!only.empty() && std::find(groups.begin(), groups.end(), only) == groups.end()) {
    std::fprintf(stderr, "error: native_test group '%s': expected core, swiglu, cross_entropy or rope_qkv\n", only.c_str());
    return 2;
  }
  auto runs = [&](const char* group) { return only.empty() || only == group; };
  std::printf("libpromptintern_native abi %d, torch %s, %s\n", pi_abi_version(), pi_torch_version(),
              at::hasCUDA() ? "cuda" : "no cuda");
  if (!at::hasCUDA()) { std::printf("FAIL no CUDA device\n"); return 1; }
  at::manual_seed(0);
  if (runs("core")) {
    test_fused_adamw(at::kFloat, 1e-5);
    test_fused_adamw(at::kBFloat16, 2e-2);
    test_clip();
    test_foreach_copy();
    test_graph();
    test_memory();
#ifndef PI_NO_NORM
    test_rms_norm();
#endif
#ifndef PI_NO_ATTENTION
    test_sdpa_gqa();
#endif
#ifndef PI_NO_ADAMW_TENSOR_LR
    test_fused_adamw_lr_tensor();
#endif
#ifndef PI_NO_PROFILER
    test_profiler();
#endif
  }
  if (runs("swiglu")) {
#ifndef PI_NO_SWIGLU
    test_swiglu();
#else
    std::printf("SKIP swiglu: pi_swiglu not built (no nvcc or a compile error; see the build log)\n");
#endif
  }
  if (runs("cross_entropy")) {
#ifndef PI_NO_CROSS_ENTROPY
    test_cross_entropy();
#else
    std::printf("SKIP cross_entropy: pi_cross_entropy not built (no nvcc or a compile error; see the build log)\n");
#endif
  }
  if (runs("rope_qkv")) {
#ifndef PI_NO_ROPE
    test_rope();
#else
    std::printf("SKIP rope: pi_rope_qkv not built (no nvcc or a compile error; see the build log)\n");
#endif
  }
  const std::string scope = only.empty() ? "" : " (" + only + ")";
  if (failures == 0) std::printf("native tests%s: all passed\n", scope.c_str());
  else std::printf("native tests%s: %d FAILED\n", scope.c_str(), failures);
  return failures == 0 ? 0 : 1;
}
