// The messages the simulator accepted, kept in memory for GET /sim/messages.
// Design: a bounded FIFO (`capacity` entries); when full the oldest entry is
// dropped and counted, so a long benchmark cannot exhaust memory. Touched
// only on the simulator's I/O thread, hence no locking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace broadcaster::simulator {

/// One accepted message. Phone numbers and body are stored raw: this is the
/// test's view of what the provider received. Never log them unmasked.
struct RecordedMessage {
  std::string sid;
  std::string to;
  std::optional<std::string> from;
  std::optional<std::string> messaging_service_sid;
  std::optional<std::string> body;
  std::optional<std::string> status_callback;
  /// When the request was accepted: microseconds since the Unix epoch on the
  /// system (wall) clock, so records from several processes line up.
  std::int64_t received_at_us = 0;
};

/// JSON object with the fields above under their snake_case names; absent
/// optionals are null.
[[nodiscard]] nlohmann::json to_json(const RecordedMessage& message);

/// Bounded, ordered record of accepted messages.
class MessageLog {
 public:
  /// `capacity` >= 1: number of messages kept before the oldest is dropped.
  explicit MessageLog(std::size_t capacity);

  /// Appends `message`, dropping the oldest one when full.
  void add(RecordedMessage message);

  /// Messages kept, oldest first.
  const std::deque<RecordedMessage>& messages() const noexcept { return messages_; }

  /// How many messages were dropped to respect the capacity since the last clear().
  std::uint64_t dropped() const noexcept { return dropped_; }

  /// JSON array of every kept message, oldest first.
  [[nodiscard]] nlohmann::json to_json() const;

  /// Forgets every message and the dropped count.
  void clear() noexcept;

 private:
  std::size_t capacity_;
  std::deque<RecordedMessage> messages_;
  std::uint64_t dropped_ = 0;
};

}  // namespace broadcaster::simulator
