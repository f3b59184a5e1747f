// Counter-based fault selection.
#include "simulator/fault_injector.h"

namespace broadcaster::simulator {

namespace {
bool due(std::uint64_t n, unsigned every) { return every != 0 && n % every == 0; }
}  // namespace

Fault FaultInjector::next() {
  const std::uint64_t n = ++count_;
  if (due(n, schedule_.html_error_every)) return Fault::kHtmlBadGateway;
  if (due(n, schedule_.server_error_every)) return Fault::kServerError;
  if (due(n, schedule_.rate_limited_every)) return Fault::kRateLimited;
  return Fault::kNone;
}

const char* fault_name(Fault fault) noexcept {
  switch (fault) {
    case Fault::kNone:
      return "none";
    case Fault::kRateLimited:
      return "429";
    case Fault::kServerError:
      return "500";
    case Fault::kHtmlBadGateway:
      return "502-html";
  }
  return "unknown";
}

}  // namespace broadcaster::simulator
