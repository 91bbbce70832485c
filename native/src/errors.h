#pragma once
#include <exception>
#include <string>
#include <vector>
#include <ATen/ATen.h>

void pi_set_error(const char* where, const std::exception& e);

// Runs body; turns any C++ exception into -1 plus a message for pi_last_error().
template <typename F> int pi_guard(const char* where, F&& body) {
  try { body(); return 0; }
  catch (const std::exception& e) { pi_set_error(where, e); return -1; }
}

// Copies n handles into a vector of tensors (shallow: they share storage with the .NET tensors).
inline std::vector<at::Tensor> pi_list(at::Tensor** handles, int n) {
  std::vector<at::Tensor> out;
  out.reserve(n);
  for (int i = 0; i < n; i++) {
    TORCH_CHECK(handles[i] != nullptr && handles[i]->defined(), "tensor ", i, " of ", n, " is undefined");
    out.push_back(*handles[i]);
  }
  return out;
}
