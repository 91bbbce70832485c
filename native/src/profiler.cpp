// libtorch's kineto profiler for code driven from .NET: host-side ATen ops, CUDA runtime calls and (through CUPTI) the
// GPU's kernels, copies and memsets between start and stop, saved as a Chrome trace. torch.profiler writes the same
// format (its export_chrome_trace saves the same ProfilerResult), so one summariser reads ours and the peer's.
// Kept apart from the other exports: a libtorch whose profiler headers differ loses this file only.
#include "pi_native.h"
#include "errors.h"
#include <memory>
#include <set>
#include <string>
#include <vector>
#include <ATen/record_function.h>
#include <torch/csrc/autograd/profiler_kineto.h>

namespace {
namespace prof = torch::autograd::profiler;
namespace impl = torch::profiler::impl;

// The open user ranges of the calling thread (pi_profiler_range_push/pop), innermost last. The profiler's state is
// per thread too: start, ranges and stop must come from one thread.
thread_local std::vector<std::unique_ptr<at::RecordFunction>> ranges;
}  // namespace

PI_EXPORT int pi_profiler_start(int cuda) {
  return pi_guard("pi_profiler_start", [&] {
    impl::ProfilerConfig config(impl::ProfilerState::KINETO);
    std::set<impl::ActivityType> activities{impl::ActivityType::CPU};
    if (cuda) activities.insert(impl::ActivityType::CUDA);
    prof::prepareProfiler(config, activities);
    prof::enableProfiler(config, activities);
  });
}

PI_EXPORT int pi_profiler_range_push(const char* name) {
  return pi_guard("pi_profiler_range_push", [&] {
    TORCH_CHECK(name != nullptr, "range name is null");
    auto range = std::make_unique<at::RecordFunction>(at::RecordScope::USER_SCOPE);
    if (range->isActive()) range->before(std::string(name));
    ranges.push_back(std::move(range));
  });
}

PI_EXPORT int pi_profiler_range_pop() {
  return pi_guard("pi_profiler_range_pop", [&] {
    TORCH_CHECK(!ranges.empty(), "no open range");
    ranges.pop_back();  // RecordFunction's destructor ends the range
  });
}

PI_EXPORT int pi_profiler_stop(const char* trace_path) {
  return pi_guard("pi_profiler_stop", [&] {
    ranges.clear();
    auto result = prof::disableProfiler();
    TORCH_CHECK(result != nullptr, "the profiler returned no result");
    if (trace_path != nullptr && trace_path[0] != '\0') result->save(trace_path);
  });
}
