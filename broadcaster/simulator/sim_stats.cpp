// Outcome counters of the simulated Messages endpoint.
#include "simulator/sim_stats.h"

#include <string>

namespace broadcaster::simulator {

void SimStats::count_rejected(unsigned status, std::optional<int> code) {
  ++rejected_;
  ++by_status_[status];
  if (code) ++by_code_[*code];
}

std::uint64_t SimStats::rejected_with_code(int code) const {
  const auto it = by_code_.find(code);
  return it == by_code_.end() ? 0 : it->second;
}

nlohmann::json SimStats::to_json() const {
  auto by_code = nlohmann::json::object();
  for (const auto& [code, n] : by_code_) by_code[std::to_string(code)] = n;
  auto by_status = nlohmann::json::object();
  for (const auto& [status, n] : by_status_) by_status[std::to_string(status)] = n;
  return nlohmann::json{
      {"requests", requests_},       {"accepted", accepted_},           {"rejected", rejected_}, {"lists", lists_},
      {"rejected_by_code", by_code}, {"rejected_by_status", by_status},
  };
}

void SimStats::reset() noexcept {
  requests_ = 0;
  accepted_ = 0;
  lists_ = 0;
  rejected_ = 0;
  by_code_.clear();
  by_status_.clear();
}

}  // namespace broadcaster::simulator
