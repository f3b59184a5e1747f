// HTTP Basic credentials read from an `Authorization` header (RFC 7617).
// Twilio authenticates API calls with Basic auth: AccountSid as the user,
// auth token as the password.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace broadcaster::simulator {

/// A user and password decoded from a Basic `Authorization` header. The
/// password is a secret: never log it.
struct BasicCredentials {
  std::string user;
  std::string password;
};

/// Decodes `header` ("Basic <base64(user:password)>", scheme case-insensitive,
/// surrounding spaces ignored). Returns nullopt when the header is empty, uses
/// another scheme, is not valid base64, or has no ':' after decoding.
std::optional<BasicCredentials> parse_basic_auth(std::string_view header);

/// Encodes `user:password` the way a client does, for tests and tools:
/// returns "Basic <base64>".
std::string make_basic_auth(std::string_view user, std::string_view password);

}  // namespace broadcaster::simulator
