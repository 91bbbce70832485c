// CUDA graph capture and replay for TorchSharp code: work issued from .NET between begin and end goes to a side
// stream (captured, or eager for warm-up); replay relaunches the captured kernels with one call.
#include "pi_native.h"
#include "errors.h"
#include <optional>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

namespace {
struct Graph {
  at::cuda::CUDAGraph graph;
  std::optional<c10::cuda::CUDAStream> side, previous;
  bool capturing = false, captured = false;
};

// Makes `waiter` wait for the work already queued on `done` (no host sync).
void order_after(c10::cuda::CUDAStream waiter, c10::cuda::CUDAStream done) {
  at::cuda::CUDAEvent ev;
  ev.record(done);
  ev.block(waiter);
}
}  // namespace

PI_EXPORT void* pi_graph_create() {
  try { return new Graph(); }
  catch (const std::exception& e) { pi_set_error("pi_graph_create", e); return nullptr; }
}

PI_EXPORT int pi_graph_begin(void* handle, int capture) {
  return pi_guard("pi_graph_begin", [&] {
    auto* g = static_cast<Graph*>(handle);
    TORCH_CHECK(!g->previous, "pi_graph_begin called twice without pi_graph_end");
    TORCH_CHECK(!(capture && g->captured), "this graph is already captured");
    auto current = c10::cuda::getCurrentCUDAStream();
    if (!g->side) g->side = c10::cuda::getStreamFromPool(false, current.device_index());
    order_after(*g->side, current);
    g->previous = current;
    c10::cuda::setCurrentCUDAStream(*g->side);
    if (capture) {
      // Thread-local mode: a .NET finalizer freeing a tensor on another thread must not invalidate the capture.
      g->graph.capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
      g->capturing = true;
    }
  });
}

PI_EXPORT int pi_graph_end(void* handle) {
  return pi_guard("pi_graph_end", [&] {
    auto* g = static_cast<Graph*>(handle);
    TORCH_CHECK(g->previous.has_value(), "pi_graph_end without pi_graph_begin");
    auto previous = *g->previous;
    g->previous.reset();
    // Restore the caller's stream even when ending the capture fails (a sync inside the captured region, say).
    struct Restore { c10::cuda::CUDAStream s; ~Restore() { c10::cuda::setCurrentCUDAStream(s); } } restore{previous};
    if (g->capturing) {
      g->capturing = false;
      g->graph.capture_end();
      g->captured = true;
    }
    order_after(previous, *g->side);
  });
}

PI_EXPORT int pi_graph_replay(void* handle) {
  return pi_guard("pi_graph_replay", [&] {
    auto* g = static_cast<Graph*>(handle);
    TORCH_CHECK(g->captured, "pi_graph_replay before a capture");
    g->graph.replay();
  });
}

PI_EXPORT void pi_graph_destroy(void* handle) { delete static_cast<Graph*>(handle); }
