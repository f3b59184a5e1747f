// The process's limit on open file descriptors (RLIMIT_NOFILE), which bounds
// how many connections a server can hold: every socket is one descriptor,
// and the soft limit is often only 1024 while the hard limit allows far more.
#pragma once

#include <cstdint>

namespace broadcaster::http {

/// Soft and hard RLIMIT_NOFILE; 0 where unknown. RLIM_INFINITY reads as
/// UINT64_MAX.
struct OpenFileLimit {
  std::uint64_t soft = 0;
  std::uint64_t hard = 0;
};

/// The limits in effect now. Never throws.
[[nodiscard]] OpenFileLimit open_file_limit() noexcept;

/// Raises the soft limit to the hard limit (an unlimited hard limit: to
/// 1048576, the kernel's usual ceiling) and returns the limits then in
/// effect; if the kernel refuses, the limits stay as they were and the
/// failure is logged. Call once at start, before threads open descriptors.
/// Never throws.
OpenFileLimit raise_open_file_limit() noexcept;

}  // namespace broadcaster::http
