// Phone parsing with libphonenumber, and masking for logs.
#include "util/phone.h"

#include <phonenumbers/phonenumberutil.h>

#include "util/input_limits.h"
#include "util/utf8.h"

namespace broadcaster::util {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

std::string mask_phone(std::string_view number) {
  const std::string_view bullet = "\u2022";
  const std::size_t n = number.size();
  std::size_t keep_head = std::min<std::size_t>(5, n / 2 > 4 ? n / 2 - 1 : 1);
  std::size_t keep_tail = std::min<std::size_t>(4, n / 3);
  if (n < 8) {
    keep_head = 0;
    keep_tail = std::min<std::size_t>(2, n / 2);
  }
  std::string out(number.substr(0, keep_head));
  const std::size_t hidden = n - keep_head - keep_tail;
  for (std::size_t i = 0; i < std::min<std::size_t>(hidden, 3); ++i) out += bullet;
  out += number.substr(n - keep_tail);
  return out;
}

std::optional<Phone> Phone::parse(std::string_view text, std::string_view default_region, std::string* why) {
  // libphonenumber runs regular expressions over the whole text: bound it
  // first, in characters (full-width digits take three bytes each).
  std::size_t chars = 0;
  for (const char c : text.substr(0, 4 * kMaxPhoneChars + 1)) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (text.size() > 4 * kMaxPhoneChars || chars > kMaxPhoneChars) {
    if (why) {
      *why = "too long to be a phone number (" + std::to_string(text.size()) + " bytes; at most " +
             std::to_string(kMaxPhoneChars) + " characters)";
    }
    return std::nullopt;
  }
  if (first_invalid_utf8(text)) {
    if (why) *why = "not a phone number (not valid UTF-8)";
    return std::nullopt;
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  const auto status = util.Parse(std::string(text), std::string(default_region), &number);
  if (status != PhoneNumberUtil::NO_PARSING_ERROR) {
    if (why) {
      switch (status) {
        case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
          *why = "unknown country code (write it as +<country code><number>)";
          break;
        case PhoneNumberUtil::NOT_A_NUMBER:
          *why = "not a phone number";
          break;
        case PhoneNumberUtil::TOO_SHORT_NSN:
        case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
          *why = "too short to be a phone number";
          break;
        case PhoneNumberUtil::TOO_LONG_NSN:
          *why = "too long to be a phone number";
          break;
        default:
          *why = "cannot be read as a phone number";
      }
    }
    return std::nullopt;
  }
  if (!util.IsValidNumber(number)) {
    if (why) *why = "not a valid number for its country (check the area code and length)";
    return std::nullopt;
  }
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  return Phone(std::move(e164));
}

std::string Phone::region() const {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(e164_, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return "ZZ";
  std::string region;
  util.GetRegionCodeForNumber(number, &region);
  return region;
}

}  // namespace broadcaster::util
