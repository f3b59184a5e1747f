// Twilio's webhook signature (the X-Twilio-Signature header), computed and
// checked as Twilio's helper libraries do (twilio-python
// `twilio/request_validator.py`, twilio-node `webhooks.js`):
//   Base64(HMAC-SHA1(auth_token, url + name1 + value1 + name2 + value2 ...))
// where `url` is the full URL Twilio requested (scheme, host, port if any,
// path, query) and the form parameters of a POST follow sorted by name, and,
// for a name that repeats, by value, a value repeated under one name counted
// once (twilio-python's sorted(set(values)); twilio-node does the same). A GET has no parameters to append: its
// fields are in the URL's query, which is signed as part of the URL.
// Sorting is by bytes, which for UTF-8 is Unicode code point order, as
// Python's sorted() on str. JSON webhooks (bodySHA256) are not handled.
//
// Port: Twilio's helpers accept a signature made over the URL with or
// without the scheme's default port ("https://host/x" and
// "https://host:443/x"), because Twilio's own signing is inconsistent there.
// twilio_signing_urls() gives both forms; a non-default port is kept as
// written (it is part of the URL Twilio was told to call).
// Design: stateless functions over OpenSSL's one-shot HMAC() (no context
// handle to own) and EVP_EncodeBlock; comparison is constant-time
// (CRYPTO_memcmp).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace broadcaster::channels {

/// Twilio's X-Twilio-Signature for a request to `url` with form `params`
/// (empty for GET), signed with `auth_token`. Throws Error only if OpenSSL
/// cannot compute HMAC-SHA1.
std::string twilio_signature(std::string_view url,
                             const std::vector<std::pair<std::string, std::string>>& params,
                             std::string_view auth_token);

/// Constant-time check of a received signature. Leading and trailing
/// spaces of `signature` are ignored; an empty signature is never valid.
bool twilio_signature_valid(std::string_view url,
                            const std::vector<std::pair<std::string, std::string>>& params,
                            std::string_view auth_token, std::string_view signature);

/// The URLs a signature over `url` may have been made with: `url` itself
/// first, then the same URL with the scheme's default port toggled (":443"
/// for https, ":80" for http added when absent, removed when present). A URL
/// with another port, or one that is not http(s), gives only itself.
std::vector<std::string> twilio_signing_urls(std::string_view url);

}  // namespace broadcaster::channels
