// The caching allocator's peak statistics (torch.cuda.max_memory_allocated / reset_peak_memory_stats), which
// TorchSharp 0.107 does not expose; benchmarks report peak GPU memory from them.
#include "pi_native.h"
#include "errors.h"
#include <c10/cuda/CUDACachingAllocator.h>

PI_EXPORT int pi_cuda_memory(int device, int reset_peak, int64_t* allocated, int64_t* peak_allocated, int64_t* peak_reserved) {
  return pi_guard("pi_cuda_memory", [&] {
    namespace alloc = c10::cuda::CUDACachingAllocator;
    auto stats = alloc::getDeviceStats(static_cast<c10::DeviceIndex>(device));
    auto all = static_cast<size_t>(c10::CachingAllocator::StatType::AGGREGATE);
    *allocated = stats.allocated_bytes[all].current;
    *peak_allocated = stats.allocated_bytes[all].peak;
    *peak_reserved = stats.reserved_bytes[all].peak;
    if (reset_peak) alloc::resetPeakStats(static_cast<c10::DeviceIndex>(device));
  });
}
