// Twilio webhook signatures: the signed string, HMAC-SHA1, Base64, and the
// default-port variants of a URL.
#include "channels/twilio/twilio_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <limits>

#include "util/errors.h"

namespace broadcaster::channels {

namespace {

// url + every name and value, sorted by name and then by value, each
// identical name-value pair once (twilio-python: sorted(set(values))).
std::string signed_string(std::string_view url, std::vector<std::pair<std::string, std::string>> params) {
  std::sort(params.begin(), params.end());
  params.erase(std::unique(params.begin(), params.end()), params.end());
  std::string out(url);
  for (const auto& [name, value] : params) {
    out += name;
    out += value;
  }
  return out;
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string twilio_signature(std::string_view url, const std::vector<std::pair<std::string, std::string>>& params,
                             std::string_view auth_token) {
  const std::string data = signed_string(url, params);
  if (auth_token.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw Error("Twilio auth token is too long to sign with");
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_length = 0;
  // One-shot HMAC: OpenSSL allocates and frees its context internally.
  if (HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), &mac_length) == nullptr) {
    throw Error("OpenSSL could not compute HMAC-SHA1 for a Twilio signature");
  }
  // Base64 of 20 bytes is 28 characters; EVP_EncodeBlock adds a NUL.
  std::array<unsigned char, 4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1> encoded{};
  const int length = EVP_EncodeBlock(encoded.data(), mac.data(), static_cast<int>(mac_length));
  return std::string(reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(length));
}

bool twilio_signature_valid(std::string_view url, const std::vector<std::pair<std::string, std::string>>& params,
                            std::string_view auth_token, std::string_view signature) {
  signature = trim_spaces(signature);
  if (signature.empty()) return false;
  const std::string expected = twilio_signature(url, params, auth_token);
  // The length of a well-formed signature is public (28); only the contents
  // must be compared in constant time.
  if (expected.size() != signature.size()) return false;
  return CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) == 0;
}

std::vector<std::string> twilio_signing_urls(std::string_view url) {
  std::vector<std::string> out{std::string(url)};
  std::string_view default_port;
  if (url.starts_with("https://")) {
    default_port = "443";
  } else if (url.starts_with("http://")) {
    default_port = "80";
  } else {
    return out;
  }
  const std::size_t authority_start = url.find("://") + 3;
  const std::size_t authority_end = std::min(url.find_first_of("/?#", authority_start), url.size());
  const std::string_view authority = url.substr(authority_start, authority_end - authority_start);
  // The port's colon is the last one, and after any IPv6 literal's ']'.
  const auto colon = authority.rfind(':');
  const auto bracket = authority.rfind(']');
  const bool has_port = colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket);
  if (!has_port) {
    std::string with_port(url.substr(0, authority_end));
    with_port += ':';
    with_port += default_port;
    with_port += url.substr(authority_end);
    out.push_back(std::move(with_port));
  } else if (authority.substr(colon + 1) == default_port) {
    std::string without_port(url.substr(0, authority_start + colon));
    without_port += url.substr(authority_end);
    out.push_back(std::move(without_port));
  }
  return out;
}

}  // namespace broadcaster::channels
