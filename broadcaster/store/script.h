// A Lua script run by Redis, with the SHA1 that EVALSHA names it by.
// Design: scripts live in store/scripts/*.lua and are compiled into the binary
// (cmake/EmbedFiles.cmake); a Script pairs that text with its SHA1, computed
// once at construction, so clients can try EVALSHA first and send the full
// text only when Redis answers NOSCRIPT. Immutable after construction, so one
// Script may be shared by every connection and thread.
#pragma once

#include <string>
#include <string_view>

namespace broadcaster::store {

/// An immutable Lua script and its SHA1.
class Script {
 public:
  /// Copies `source`, and computes its SHA1 with OpenSSL.
  /// `name` identifies the script in error messages ("enqueue").
  /// Throws broadcaster::Error if OpenSSL cannot compute the digest.
  Script(std::string name, std::string_view source);

  /// The name given at construction, for messages.
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// The Lua text exactly as given.
  [[nodiscard]] std::string_view source() const noexcept { return source_; }
  /// 40 lowercase hex digits, the same as Redis's SCRIPT LOAD answer.
  [[nodiscard]] const std::string& sha1() const noexcept { return sha1_; }

 private:
  std::string name_;
  std::string source_;
  std::string sha1_;
};

}  // namespace broadcaster::store
