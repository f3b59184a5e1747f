// The admission rules of http::Server (see admission.h).
#include "http/admission.h"

namespace broadcaster::http {

namespace ip = boost::asio::ip;

std::optional<Refusal> Admission::check_connection(const ip::address& client, std::size_t live, bool exempt) const {
  if (live >= max_connections_) return Refusal::total;
  if (exempt || max_per_client_ == 0) return std::nullopt;
  const std::size_t held = count(client);
  if (held >= max_per_client_) return Refusal::per_client;
  const std::size_t reserve = max_connections_ / 4;
  const bool crowded = reserve > 0 && live >= max_connections_ - reserve;
  // held >= counted / clients, without the division.
  if (crowded && held > 0 && held * held_.size() >= counted_) return Refusal::fair_share;
  return std::nullopt;
}

std::optional<Refusal> Admission::check_request(const ip::address& client) const {
  if (max_per_client_ > 0 && count(client) >= max_per_client_) return Refusal::per_client;
  return std::nullopt;
}

void Admission::add(const ip::address& client) {
  ++held_[client];
  ++counted_;
}

void Admission::remove(const ip::address& client) noexcept {
  const auto it = held_.find(client);
  if (it == held_.end()) return;
  --counted_;
  if (--it->second == 0) held_.erase(it);
}

std::size_t Admission::count(const ip::address& client) const {
  const auto it = held_.find(client);
  return it == held_.end() ? 0 : it->second;
}

const char* to_string(Refusal refusal) noexcept {
  switch (refusal) {
    case Refusal::per_client:
      return "per_client";
    case Refusal::fair_share:
      return "fair_share";
    case Refusal::total:
      return "total";
  }
  return "unknown";
}

}  // namespace broadcaster::http
