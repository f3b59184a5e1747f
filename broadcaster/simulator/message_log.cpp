// Bounded in-memory record of accepted messages.
#include "simulator/message_log.h"

#include <algorithm>

namespace broadcaster::simulator {

nlohmann::json to_json(const RecordedMessage& m) {
  const auto or_null = [](const std::optional<std::string>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  return nlohmann::json{
      {"sid", m.sid},
      {"to", m.to},
      {"from", or_null(m.from)},
      {"messaging_service_sid", or_null(m.messaging_service_sid)},
      {"body", or_null(m.body)},
      {"status_callback", or_null(m.status_callback)},
      {"received_at_us", m.received_at_us},
  };
}

MessageLog::MessageLog(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

void MessageLog::add(RecordedMessage message) {
  if (messages_.size() >= capacity_) {
    messages_.pop_front();
    ++dropped_;
  }
  messages_.push_back(std::move(message));
}

nlohmann::json MessageLog::to_json() const {
  auto array = nlohmann::json::array();
  for (const auto& m : messages_) array.push_back(simulator::to_json(m));
  return array;
}

void MessageLog::clear() noexcept {
  messages_.clear();
  dropped_ = 0;
}

}  // namespace broadcaster::simulator
