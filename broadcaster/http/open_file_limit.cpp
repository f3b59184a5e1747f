// RLIMIT_NOFILE reading and raising (see open_file_limit.h).
#include "http/open_file_limit.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace broadcaster::http {

namespace {

constexpr rlim_t kUnlimitedTarget = 1048576;

std::uint64_t to_u64(rlim_t value) { return value == RLIM_INFINITY ? UINT64_MAX : static_cast<std::uint64_t>(value); }

}  // namespace

OpenFileLimit open_file_limit() noexcept {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  return {to_u64(limit.rlim_cur), to_u64(limit.rlim_max)};
}

OpenFileLimit raise_open_file_limit() noexcept {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("cannot read the open-file limit: {}", std::strerror(errno));
    return {};
  }
  const rlim_t target = limit.rlim_max == RLIM_INFINITY ? kUnlimitedTarget : limit.rlim_max;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < target) {
    rlimit raised = limit;
    raised.rlim_cur = target;
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
      spdlog::warn("cannot raise the open-file limit from {} to {}: {}", limit.rlim_cur, target, std::strerror(errno));
    } else {
      spdlog::debug("open-file limit raised from {} to {}", limit.rlim_cur, target);
    }
  }
  return open_file_limit();
}

}  // namespace broadcaster::http
