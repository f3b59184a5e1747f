// Request accessors, strict form decoding and secret comparison shared by
// the inbound endpoints.
#include "channels/inbound.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <strings.h>

#include <array>

#include "util/errors.h"

namespace broadcaster::channels {

std::optional<std::string> InboundRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), key.size()) == 0) {
      return value;
    }
  }
  return std::nullopt;
}

std::string_view InboundRequest::path() const {
  const std::string_view view(target);
  return view.substr(0, view.find('?'));
}

std::optional<std::string_view> InboundRequest::query() const {
  const auto mark = target.find('?');
  if (mark == std::string::npos) return std::nullopt;
  return std::string_view(target).substr(mark + 1);
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one name or value; false on a bad escape.
bool decode_component(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int high = hex_digit(in[i + 1]);
      const int low = hex_digit(in[i + 2]);
      if (high < 0 || low < 0) return false;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return true;
}

using Digest = std::array<unsigned char, 32>;

// SHA-256 of `data` with OpenSSL's one-shot EVP_Digest (no context handle to
// own). False only when OpenSSL cannot compute it (no SHA-256 provider).
bool sha256(std::string_view data, Digest& digest) {
  unsigned int length = 0;
  return EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) == 1 &&
         length == digest.size();
}

}  // namespace

std::optional<std::vector<std::pair<std::string, std::string>>> form_decode_strict(
    std::string_view encoded) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!encoded.empty()) {
    const auto amp = encoded.find('&');
    const std::string_view part = encoded.substr(0, amp);
    encoded = amp == std::string_view::npos ? std::string_view{} : encoded.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    std::string name;
    std::string value;
    if (!decode_component(part.substr(0, eq), name)) return std::nullopt;
    if (eq != std::string_view::npos && !decode_component(part.substr(eq + 1), value)) {
      return std::nullopt;
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

std::optional<std::string> single_field(
    const std::vector<std::pair<std::string, std::string>>& fields, std::string_view name,
    bool& repeated) {
  std::optional<std::string> found;
  for (const auto& [key, value] : fields) {
    if (key != name) continue;
    if (found) {
      repeated = true;
    } else {
      found = value;
    }
  }
  return found;
}

bool secrets_equal(std::string_view a, std::string_view b) {
  Digest da{};
  Digest db{};
  if (!sha256(a, da) || !sha256(b, db)) return false;  // fail closed
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

std::string sha256_hex(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  Digest digest{};
  if (!sha256(data, digest)) throw Error("OpenSSL cannot compute SHA-256");
  std::string out;
  out.reserve(digest.size() * 2);
  for (const unsigned char byte : digest) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
  }
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace broadcaster::channels
