// Turns libcurl's result codes into broadcaster exceptions.
// Design: the one place where a CURLcode or CURLMcode becomes an error, so
// every message says what we tried, what libcurl answered and what to do.
// Per-request transfer failures (refused connection, time-out) are not
// exceptions: the HTTP client reports them as an HttpOutcome.
#pragma once

#include <curl/curl.h>

#include <string>
#include <string_view>

#include "util/errors.h"

namespace broadcaster::sender {

/// libcurl refused an operation that should not fail: out of memory, an option
/// this libcurl build does not support, or an internal error.
class CurlError : public Error {
 public:
  CurlError(std::string message, int code) : Error(std::move(message)), code_(code) {}

  /// The CURLcode or CURLMcode libcurl returned.
  int code() const noexcept { return code_; }

 private:
  int code_;
};

/// Throws CurlError for `code`; `action` says what we tried, e.g.
/// "setting the request URL". Never returns.
[[noreturn]] void throw_curl_error(std::string_view action, CURLcode code);

/// Throws CurlError for the multi-interface `code`; `action` as above.
[[noreturn]] void throw_curl_error(std::string_view action, CURLMcode code);

}  // namespace broadcaster::sender
