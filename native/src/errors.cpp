// Error reporting across the C ABI: the last failure's message, per calling thread.
#include "pi_native.h"
#include "errors.h"
#include <torch/version.h>

static thread_local std::string last_error;

void pi_set_error(const char* where, const std::exception& e) {
  last_error = std::string(where) + ": " + e.what();
}

PI_EXPORT int pi_abi_version() { return 2; }
PI_EXPORT const char* pi_last_error() { return last_error.c_str(); }
PI_EXPORT const char* pi_torch_version() { return TORCH_VERSION; }
