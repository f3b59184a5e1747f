// A validated phone number in E.164 form, and its masked rendering for logs.
// Design: numbers travel through the code as `Phone`, whose fmt formatter
// prints only the masked form, so a raw number cannot reach a log line by
// accident. Code that must send or store the number asks for `e164()`.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

namespace broadcaster::util {

/// Masks the middle of a phone number for logs: "+15595550142" -> "+1559•••0142".
/// Keeps at most the first five and the last four characters and never more
/// than half the digits; shorter input is masked entirely but for the last two.
std::string mask_phone(std::string_view number);

/// A phone number validated by libphonenumber and kept in E.164 ("+15595550142").
class Phone {
 public:
  /// Parses `text` as typed by a person or a CSV ("(559) 555-0142",
  /// "+1 559 555 0142"); `default_region` (ISO 3166, "US") applies to numbers
  /// without a country code. Returns nullopt and sets `why` (when given) to a
  /// reason a person understands if the text is not a valid number. Text
  /// longer than kMaxPhoneChars characters (input_limits.h) or not valid
  /// UTF-8 is refused before libphonenumber sees it.
  static std::optional<Phone> parse(std::string_view text, std::string_view default_region, std::string* why = nullptr);

  /// Wraps a string already known to be E.164 (read back from our own store).
  static Phone from_trusted_e164(std::string e164) { return Phone(std::move(e164)); }

  const std::string& e164() const noexcept { return e164_; }
  std::string masked() const { return mask_phone(e164_); }
  /// ISO 3166 region of the number ("US", "MX"), or "ZZ" when unknown.
  std::string region() const;

  friend bool operator==(const Phone&, const Phone&) = default;
  friend auto operator<=>(const Phone&, const Phone&) = default;

 private:
  explicit Phone(std::string e164) : e164_(std::move(e164)) {}
  std::string e164_;
};

}  // namespace broadcaster::util

/// Formats a Phone masked, so `spdlog::info("to {}", phone)` never leaks it.
template <>
struct fmt::formatter<broadcaster::util::Phone> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const broadcaster::util::Phone& p, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(p.masked(), ctx);
  }
};
