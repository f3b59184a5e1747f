// Address parsing for the three kinds, and masking for logs.
#include "util/address.h"

#include <algorithm>

#include "util/input_limits.h"

namespace broadcaster::util {

namespace {

constexpr std::string_view kEmailScheme = "email:";
constexpr std::string_view kMailtoScheme = "mailto:";
constexpr std::string_view kTelegramScheme = "telegram:";
constexpr std::string_view kBullets = "\u2022\u2022\u2022";

// Telegram's user ids fit in 52 bits (Bot API: "at most 52 significant
// bits"), 16 decimal digits; a private chat's id is the user's id.
constexpr std::size_t kMaxTelegramDigits = 16;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// The dot-atom local part of RFC 5322 without quoted strings or comments,
// which real subscribers' addresses do not use; braces are left out as well,
// since an address becomes part of Redis key names whose {...} is a hash tag.
bool is_local_char(char c) {
  return is_digit(c) || is_alpha(c) || std::string_view("!#$%&'*+-/=?^_`|~.").find(c) != std::string_view::npos;
}

bool fail(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
  return false;
}

// Checks `text` as a mailbox (local@domain) and lower-cases it into `out`.
// The whole address is lower-cased, not only the domain: mail providers
// treat the local part without case, and two spellings of one mailbox must
// be one subscriber, or a STOP from one would leave the other subscribed.
bool read_email(std::string_view text, std::string& out, std::string* why) {
  if (text.size() > kMaxEmailBytes) {
    return fail(why, "too long to be an email address (" + std::to_string(text.size()) + " bytes; at most " +
                         std::to_string(kMaxEmailBytes) + ")");
  }
  const std::size_t at = text.find('@');
  if (at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) {
    return fail(why, "an email address has exactly one '@'");
  }
  const std::string_view local = text.substr(0, at);
  const std::string_view domain = text.substr(at + 1);
  if (local.empty() || local.size() > 64) return fail(why, "the part before '@' must be 1 to 64 characters");
  for (const char c : local) {
    if (static_cast<unsigned char>(c) >= 0x80) return fail(why, "only ASCII email addresses are taken");
    if (!is_local_char(c)) return fail(why, std::string("'") + c + "' cannot be in an email address");
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return fail(why, "the part before '@' cannot start or end with '.' or have two in a row");
  }
  // Domain: dot-separated labels of letters, digits and inner hyphens, at
  // least two of them, the last (the top-level domain) letters only.
  if (domain.empty()) return fail(why, "no domain after '@'");
  std::size_t labels = 0;
  std::string_view last;
  for (std::size_t start = 0; start <= domain.size();) {
    std::size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63) return fail(why, "the domain '" + std::string(domain) + "' is not valid");
    for (const char c : label) {
      if (static_cast<unsigned char>(c) >= 0x80) return fail(why, "only ASCII email addresses are taken");
      if (!is_digit(c) && !is_alpha(c) && c != '-') {
        return fail(why, "the domain '" + std::string(domain) + "' is not valid");
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return fail(why, "the domain '" + std::string(domain) + "' is not valid");
    }
    ++labels;
    last = label;
    start = end + 1;
  }
  if (labels < 2 || last.size() < 2 || !std::all_of(last.begin(), last.end(), is_alpha)) {
    return fail(why, "the domain '" + std::string(domain) + "' has no top-level domain (as in example.org)");
  }
  out.assign(kEmailScheme);
  for (const char c : text) out += lower(c);
  return true;
}

bool read_telegram(std::string_view digits, std::string& out, std::string* why) {
  if (digits.empty() || digits.size() > kMaxTelegramDigits || !std::all_of(digits.begin(), digits.end(), is_digit) ||
      digits.front() == '0') {
    return fail(why, "a Telegram chat is written telegram:<its numeric id> (1 to 16 digits)");
  }
  out.assign(kTelegramScheme);
  out += digits;
  return true;
}

bool looks_e164(std::string_view s) {
  return s.size() >= 9 && s.size() <= 16 && s[0] == '+' && std::all_of(s.begin() + 1, s.end(), is_digit);
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(text[i]) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::string mask_stored(std::string_view stored) {
  const auto address = Address::from_stored(stored);
  return address ? address->masked() : mask_phone(stored);
}

std::string_view to_string(AddressKind kind) noexcept {
  switch (kind) {
    case AddressKind::Phone:
      return "phone";
    case AddressKind::Email:
      return "email";
    case AddressKind::Telegram:
      return "telegram";
  }
  return "phone";
}

std::optional<Address> Address::parse(std::string_view text, std::string_view default_region, std::string* why) {
  std::string canonical;
  // The Telegram scheme first: "telegram:@name" is a mistaken chat, not a
  // mailbox.
  if (starts_with_ci(text, kTelegramScheme)) {
    if (!read_telegram(text.substr(kTelegramScheme.size()), canonical, why)) return std::nullopt;
    return Address(std::move(canonical), AddressKind::Telegram);
  }
  if (starts_with_ci(text, kEmailScheme) || starts_with_ci(text, kMailtoScheme) ||
      text.find('@') != std::string_view::npos) {
    const std::size_t scheme = starts_with_ci(text, kEmailScheme)    ? kEmailScheme.size()
                               : starts_with_ci(text, kMailtoScheme) ? kMailtoScheme.size()
                                                                     : 0;
    if (!read_email(text.substr(scheme), canonical, why)) return std::nullopt;
    return Address(std::move(canonical), AddressKind::Email);
  }
  auto phone = Phone::parse(text, default_region, why);
  if (!phone) return std::nullopt;
  return Address(*phone);
}

std::optional<Address> Address::from_stored(std::string_view text) {
  if (looks_e164(text)) return Address(Phone::from_trusted_e164(std::string(text)));
  std::string canonical;
  if (text.substr(0, kEmailScheme.size()) == kEmailScheme) {
    if (!read_email(text.substr(kEmailScheme.size()), canonical, nullptr) || canonical != text) return std::nullopt;
    return Address(std::move(canonical), AddressKind::Email);
  }
  if (text.substr(0, kTelegramScheme.size()) == kTelegramScheme) {
    if (!read_telegram(text.substr(kTelegramScheme.size()), canonical, nullptr)) return std::nullopt;
    return Address(std::move(canonical), AddressKind::Telegram);
  }
  return std::nullopt;
}

AddressKind Address::stored_kind(std::string_view stored) noexcept {
  if (stored.starts_with(kEmailScheme)) return AddressKind::Email;
  if (stored.starts_with(kTelegramScheme)) return AddressKind::Telegram;
  return AddressKind::Phone;
}

std::string_view Address::without_scheme() const noexcept {
  const std::string_view all = canonical_;
  switch (kind_) {
    case AddressKind::Phone:
      return all;
    case AddressKind::Email:
      return all.substr(kEmailScheme.size());
    case AddressKind::Telegram:
      return all.substr(kTelegramScheme.size());
  }
  return all;
}

std::optional<Phone> Address::phone() const {
  if (kind_ != AddressKind::Phone) return std::nullopt;
  return Phone::from_trusted_e164(canonical_);
}

std::string Address::region() const {
  return kind_ == AddressKind::Phone ? Phone::from_trusted_e164(canonical_).region() : "ZZ";
}

std::string Address::masked() const {
  const std::string_view bare = without_scheme();
  switch (kind_) {
    case AddressKind::Phone:
      return mask_phone(canonical_);
    case AddressKind::Email: {
      // The first letter of the mailbox and of the domain, and the
      // top-level domain: "ana.garcia@example.org" -> "a•••@e•••.org".
      const std::size_t at = bare.find('@');
      const std::size_t dot = bare.rfind('.');
      std::string out(bare.substr(0, 1));
      out += kBullets;
      out += '@';
      out += bare.substr(at + 1, 1);
      out += kBullets;
      out += bare.substr(dot);
      return out;
    }
    case AddressKind::Telegram: {
      std::string out(kTelegramScheme);
      out += kBullets;
      if (bare.size() >= 6) out += bare.substr(bare.size() - 2);
      return out;
    }
  }
  return mask_phone(canonical_);
}

}  // namespace broadcaster::util
