// Checks each export of libpromptintern_native against a reference computed with plain ATen ops (float64 where it
// matters), on fresh random inputs. Exit 0 only when every check passes; one line per check.
#include "../src/pi_native.h"
#include <cstdio>
#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>


static int failures = 0;

static void check(const char* name, double err, double tol) {
  bool ok = std::isfinite(err) && err <= tol;
  std::printf("%s %-34s rel_err=%.3e (tol %.0e)\n", ok ? "PASS" : "FAIL", name, err, tol);
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

int main() {
  std::printf("libpromptintern_native abi %d, torch %s, %s\n", pi_abi_version(), pi_torch_version(),
              at::hasCUDA() ? "cuda" : "no cuda");
  if (!at::hasCUDA()) { std::printf("FAIL no CUDA device\n"); return 1; }
  at::manual_seed(0);
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
  std::printf(failures == 0 ? "native tests: all passed\n" : "native tests: %d FAILED\n", failures);
  return failures == 0 ? 0 : 1;
}
