// Where a message goes: a subscriber's address, of one of the kinds the
// providers reach (a phone number for SMS and WhatsApp, an email address, a
// Telegram chat), and its masked rendering for logs.
// Design: the core (subscriber store, queue, sender, keyword engine) keys
// subscribers and messages by Address, never by phone number, so a provider
// that reaches email or Telegram is one folder under channels/ (its Medium
// says which kinds it reaches, medium.h). The stored form of a phone number
// is its bare E.164 ("+15595550142"), as it was before other kinds existed,
// so stored subscribers, queues and consent hashes need no migration; other
// kinds carry a scheme ("email:ana@example.org", "telegram:123456789").
// Like Phone, the fmt formatter prints only the masked form.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "util/phone.h"

namespace broadcaster::util {

/// The kinds of address broadcaster knows.
enum class AddressKind {
  Phone,     ///< E.164 number: SMS, WhatsApp
  Email,     ///< mailbox, lower-cased
  Telegram,  ///< a private chat's numeric id
};

/// "phone", "email" or "telegram", as messages and `--json` print it.
[[nodiscard]] std::string_view to_string(AddressKind kind) noexcept;

/// Masks an address read back in its stored form (Address::masked());
/// text in no stored form is masked as a phone number is (mask_phone).
[[nodiscard]] std::string mask_stored(std::string_view stored);

class Address {
 public:
  /// A phone number is an address (implicit: every function that takes an
  /// Address takes a Phone).
  Address(const Phone& phone) : canonical_(phone.e164()), kind_(AddressKind::Phone) {}  // NOLINT

  /// Parses an address as typed by a person or a CSV: "email:ana@example.org"
  /// or anything with an '@' is an email address, "telegram:<digits>" a
  /// Telegram chat, anything else a phone number (Phone::parse with
  /// `default_region`). Returns nullopt and sets `why` to a reason a person
  /// understands when the text is none of them.
  static std::optional<Address> parse(std::string_view text, std::string_view default_region,
                                      std::string* why = nullptr);

  /// Reads back the stored form (canonical()) from our own store or queue;
  /// nullopt when `text` is not in a stored form (a damaged entry).
  static std::optional<Address> from_stored(std::string_view text);

  /// The kind of a stored form, from its scheme alone (no checks, no copy):
  /// for sorting an audience of a million by what can reach it.
  [[nodiscard]] static AddressKind stored_kind(std::string_view stored) noexcept;

  /// The stored form: "+15595550142", "email:ana@example.org", "telegram:42".
  [[nodiscard]] const std::string& canonical() const noexcept { return canonical_; }
  /// What the provider is given: the stored form without its scheme
  /// ("+15595550142", "ana@example.org", "42").
  [[nodiscard]] std::string_view without_scheme() const noexcept;
  [[nodiscard]] AddressKind kind() const noexcept { return kind_; }
  [[nodiscard]] bool is_phone() const noexcept { return kind_ == AddressKind::Phone; }
  /// The phone number, for a phone address.
  [[nodiscard]] std::optional<Phone> phone() const;
  /// ISO 3166 region of a phone number ("US"); "ZZ" for other kinds.
  [[nodiscard]] std::string region() const;
  /// For logs: "+1559•••0142", "a•••@e•••.org", "telegram:•••89".
  [[nodiscard]] std::string masked() const;

  friend bool operator==(const Address&, const Address&) = default;
  friend auto operator<=>(const Address&, const Address&) = default;

 private:
  Address(std::string canonical, AddressKind kind) : canonical_(std::move(canonical)), kind_(kind) {}
  std::string canonical_;
  AddressKind kind_;
};

}  // namespace broadcaster::util

/// Formats an Address masked, so `spdlog::info("to {}", address)` never leaks it.
template <>
struct fmt::formatter<broadcaster::util::Address> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const broadcaster::util::Address& a, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(a.masked(), ctx);
  }
};
