// Checking a URL a provider will be given (Twilio's StatusCallback, whose
// OpenAPI description says `format: uri`; a provider's base URL): parsed
// with libcurl's URL API, so what passes here is what an HTTP client can
// request, and a space or a missing host is caught when the configuration
// is loaded rather than by the provider refusing every message.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace broadcaster::channels {

/// Why `url` is not an absolute http(s) URL with a host, in words ("has a
/// space in it", "has no host", "is not http or https"), or nullopt when it
/// is one.
std::optional<std::string> web_url_problem(std::string_view url);

}  // namespace broadcaster::channels
