// What kind of message a provider carries, declared with the provider
// (provider.h): SMS, whose bodies have an encoding (GSM-7 or UCS-2) and are
// billed in segments (templates/sms_encoding.h), so `max_segments`,
// `price_per_segment` and `smart_encoding` apply to its channels; or plain
// text, counted in characters (Unicode code points) against the provider's
// own limit when it has one. It also says which kinds of address
// (util/address.h) its messages can reach: SMS reaches phone numbers only.
// Design: data in the provider's declaration, so the core (configuration,
// campaign validate and preview) asks the channel's provider instead of
// assuming every message is an SMS. No default: every provider states its
// medium (Medium has no default constructor, so a Provider that omits it
// does not compile). Providers not built yet would declare:
//   whatsapp: Medium::plain_text(4096, {Phone})     (the Cloud API's text body limit)
//   telegram: Medium::plain_text(4096, {Telegram})  (sendMessage's text limit)
//   email:    Medium::plain_text(0, {Email})        (no practical body limit)
// each after checking the provider's current documentation.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string_view>

#include "util/address.h"

namespace broadcaster::channels {

/// The two kinds of message broadcaster knows how to measure.
enum class MediumKind {
  Sms,        ///< encoding, segments, price per segment
  PlainText,  ///< characters (code points), a provider limit or none
};

/// "sms" or "text", as `campaign preview --json` and `validate --json` print it.
[[nodiscard]] constexpr std::string_view to_string(MediumKind kind) noexcept {
  return kind == MediumKind::Sms ? "sms" : "text";
}

/// A provider's medium: its kind, the kinds of address it reaches and, for
/// plain text, the longest body it takes.
class Medium {
 public:
  /// SMS: limited by segments (the channel's `max_segments`), not
  /// characters; reaches phone numbers.
  [[nodiscard]] static constexpr Medium sms() noexcept {
    return Medium(MediumKind::Sms, 0, bit(util::AddressKind::Phone));
  }
  /// Plain text taking at most `max_characters` code points (0: no limit)
  /// to addresses of the kinds listed.
  [[nodiscard]] static constexpr Medium plain_text(std::size_t max_characters,
                                                   std::initializer_list<util::AddressKind> reaches) noexcept {
    unsigned kinds = 0;
    for (const auto kind : reaches) kinds |= bit(kind);
    return Medium(MediumKind::PlainText, max_characters, kinds);
  }

  [[nodiscard]] constexpr MediumKind kind() const noexcept { return kind_; }
  [[nodiscard]] constexpr bool is_sms() const noexcept { return kind_ == MediumKind::Sms; }
  /// The provider's limit in code points for plain text; 0 for none (and
  /// always 0 for SMS).
  [[nodiscard]] constexpr std::size_t max_characters() const noexcept { return max_characters_; }
  /// Whether its messages can go to an address of `kind` (submit skips
  /// subscribers it cannot reach, and counts them).
  [[nodiscard]] constexpr bool reaches(util::AddressKind kind) const noexcept { return (reaches_ & bit(kind)) != 0; }

 private:
  static constexpr unsigned bit(util::AddressKind kind) noexcept { return 1U << static_cast<unsigned>(kind); }
  constexpr Medium(MediumKind kind, std::size_t max_characters, unsigned reaches) noexcept
      : kind_(kind), max_characters_(max_characters), reaches_(reaches) {}
  MediumKind kind_;
  std::size_t max_characters_;
  unsigned reaches_;  ///< one bit per util::AddressKind
};

}  // namespace broadcaster::channels
