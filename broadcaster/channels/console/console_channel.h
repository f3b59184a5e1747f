// Dry-run channel: writes each message as one JSON line instead of sending it,
// so staff can review a campaign's real output before it reaches anyone.
// Design: delivers locally (build_request returns nullopt). Each line is
// `{"channel","campaign","to","language","body","id"}` with ids
// "console-1", "console-2", ... counted per channel object, so they are
// unique within one process only. The line holds the full phone number: it
// is the payload under review, not a log line, and is written only to the
// chosen stream or file, never through spdlog. Holds a counter and a stream:
// not thread-safe, one sender loop calls it.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

#include "channels/channel.h"

namespace broadcaster::channels {

/// Writes messages as JSON lines. Option `path`: append to that file (opened
/// once, at construction) instead of standard output.
class ConsoleChannel final : public Channel {
 public:
  /// Writes to the file named by option `path` when given, else to
  /// std::cout. Throws ConfigError, located at settings.source, when the
  /// file cannot be opened for appending.
  explicit ConsoleChannel(const ProviderSettings& settings);

  /// Writes to `out`, which must outlive the channel (tests, or a caller
  /// that owns the stream). Option `path` is refused with ConfigError here.
  ConsoleChannel(const ProviderSettings& settings, std::ostream& out);

  ConsoleChannel(const ConsoleChannel&) = delete;
  ConsoleChannel& operator=(const ConsoleChannel&) = delete;

  /// The configured channel name ("dry-run").
  const std::string& name() const override { return name_; }

  /// Always nullopt: this channel delivers locally.
  std::optional<HttpRequest> build_request(const OutboundMessage& msg) const override;

  /// Never called (no requests are built); throws a non-retryable SendError.
  SendResult interpret_response(const HttpResponse& response, const OutboundMessage& msg) const override;

  /// Writes one JSON line for `msg` and flushes it; returns
  /// SendResult{"console-N", "delivered"}. Throws a non-retryable SendError
  /// when the stream fails (disk full, closed pipe). Invalid UTF-8 in the
  /// body is written as U+FFFD rather than failing the send.
  SendResult deliver_locally(const OutboundMessage& msg) override;

 private:
  std::string name_;
  std::string destination_;              // "standard output" or the path, for errors
  std::unique_ptr<std::ofstream> file_;  // set when writing to option `path`
  std::ostream* out_;                    // file_ or the injected stream
  std::uint64_t sent_ = 0;
};

}  // namespace broadcaster::channels
