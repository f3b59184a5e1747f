// Plain HTTP request and response values exchanged between a channel and the
// sender's HTTP client.
// Design: channels describe what to send and read what came back; they never
// perform I/O themselves, so the sender owns every socket and a channel can
// be tested without a network.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace broadcaster::channels {

/// Header names compare case-insensitively; the first match wins.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// One HTTP request a channel wants performed.
struct HttpRequest {
  std::string method = "POST";
  std::string url;           ///< absolute URL, http:// or https://
  HttpHeaders headers;       ///< extra headers; never log their values
  std::string body;          ///< already encoded (form or JSON)
  /// HTTP Basic credentials; the password is a secret and never logged.
  std::optional<std::pair<std::string, std::string>> basic_auth;
  std::chrono::milliseconds timeout{10'000};  ///< whole-request deadline
};

/// What the server answered. `status` is 0 when no response arrived.
struct HttpResponse {
  long status = 0;
  HttpHeaders headers;
  std::string body;

  /// Value of the first header named `name` (case-insensitive), if any.
  std::optional<std::string> header(std::string_view name) const;
};

/// Form-encodes key/value pairs as application/x-www-form-urlencoded
/// (RFC 1866 / WHATWG: space as '+', everything but unreserved bytes as %XX).
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

/// Decodes an application/x-www-form-urlencoded body into pairs, in order.
std::vector<std::pair<std::string, std::string>> form_decode(std::string_view body);

/// Decodes one urlencoded component ('+' is a space, %XX a byte; a '%' not
/// followed by two hex digits is kept as it is).
std::string form_decode_component(std::string_view component);

}  // namespace broadcaster::channels
