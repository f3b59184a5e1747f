// The exception types every broadcaster component throws.
// Design: one root (`Error`) so `main` catches once; subtypes carry what a
// user needs to act: a file position for configuration, an address for
// Redis, a provider code and a retry decision for sends.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace broadcaster {

/// Root of all broadcaster errors; `what()` is a message a user can act on.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad configuration or input file. `what()` reads `file:line:column: message`
/// when a position is known (line and column are 1-based, 0 when unknown).
class ConfigError : public Error {
 public:
  ConfigError(std::string file, int line, int column, std::string message)
      : Error(format(file, line, column, message)),
        file_(std::move(file)),
        line_(line),
        column_(column),
        message_(std::move(message)) {}
  explicit ConfigError(std::string message) : ConfigError("", 0, 0, std::move(message)) {}

  const std::string& file() const noexcept { return file_; }
  int line() const noexcept { return line_; }
  int column() const noexcept { return column_; }
  /// The message without its position prefix.
  const std::string& message() const noexcept { return message_; }

 private:
  static std::string format(const std::string& file, int line, int column,
                            const std::string& message) {
    if (file.empty()) return message;
    if (line <= 0) return file + ": " + message;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
  }
  std::string file_;
  int line_;
  int column_;
  std::string message_;
};

/// Any failure talking to Redis.
class RedisError : public Error {
 public:
  using Error::Error;
};

/// Redis could not be reached or the connection broke.
class RedisIoError : public RedisError {
 public:
  using RedisError::RedisError;
};

/// Redis answered but cannot serve commands yet: it is loading its data
/// (LOADING), busy with a long script (BUSY), or has no primary (MASTERDOWN,
/// TRYAGAIN). Like a broken connection, it passes: wait and retry.
class RedisUnavailableError : public RedisIoError {
 public:
  using RedisIoError::RedisIoError;
};

/// Redis answered with an error reply (wrong type, script error, ...).
class RedisReplyError : public RedisError {
 public:
  using RedisError::RedisError;
};

/// A message could not be handed to a channel.
/// `retryable` says whether the same message may succeed later (429, 5xx,
/// time-outs); `provider_code` is the provider's own error code when it gave
/// one (Twilio's 21211, 21610, ...), otherwise empty.
class SendError : public Error {
 public:
  SendError(std::string message, bool retryable, std::string provider_code = {},
            std::optional<long> retry_after_ms = std::nullopt)
      : Error(std::move(message)),
        retryable_(retryable),
        provider_code_(std::move(provider_code)),
        retry_after_ms_(retry_after_ms) {}

  bool retryable() const noexcept { return retryable_; }
  const std::string& provider_code() const noexcept { return provider_code_; }
  /// The provider's Retry-After, in milliseconds, when it sent one.
  std::optional<long> retry_after_ms() const noexcept { return retry_after_ms_; }

 private:
  bool retryable_;
  std::string provider_code_;
  std::optional<long> retry_after_ms_;
};

}  // namespace broadcaster
