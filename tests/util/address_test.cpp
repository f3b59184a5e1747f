// Addresses of every kind: read as people type them, stored in one form,
// read back from that form, and never logged whole.
#include "util/address.h"

#include <catch2/catch.hpp>
#include <string>

#include "util/input_limits.h"

using broadcaster::util::Address;
using broadcaster::util::AddressKind;
using broadcaster::util::Phone;

TEST_CASE("phone numbers, email addresses and Telegram chats are read into their stored form") {
  struct Case {
    const char* label;
    std::string text;
    AddressKind kind;
    const char* stored;
    const char* given_to_provider;
  };
  const Case cases[] = {
      {"a national phone number", "(559) 555-0142", AddressKind::Phone, "+15595550142", "+15595550142"},
      {"an email address, lower-cased whole", "Ana.Garcia@Example.ORG", AddressKind::Email,
       "email:ana.garcia@example.org", "ana.garcia@example.org"},
      {"an email address with its scheme", "email:promotora+fresno@mail.example.org", AddressKind::Email,
       "email:promotora+fresno@mail.example.org", "promotora+fresno@mail.example.org"},
      {"a mailto: link pasted from a web page", "MAILTO:ana@example.org", AddressKind::Email,
       "email:ana@example.org", "ana@example.org"},
      {"a Telegram chat", "telegram:123456789", AddressKind::Telegram, "telegram:123456789", "123456789"},
      {"a Telegram chat with the scheme in capitals", "Telegram:42", AddressKind::Telegram, "telegram:42", "42"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      std::string why;
      const auto address = Address::parse(c.text, "US", &why);
      INFO(why);
      REQUIRE(address);
      CHECK(address->kind() == c.kind);
      CHECK(address->canonical() == c.stored);
      CHECK(address->without_scheme() == c.given_to_provider);
      CHECK(address->is_phone() == (c.kind == AddressKind::Phone));
      CHECK(address->phone().has_value() == (c.kind == AddressKind::Phone));
      // Read back from the store, it is the same address.
      const auto back = Address::from_stored(address->canonical());
      REQUIRE(back);
      CHECK(*back == *address);
      CHECK(Address::stored_kind(address->canonical()) == c.kind);
    }
  }
}

TEST_CASE("two spellings of one mailbox are one address, so a STOP from either covers both") {
  const auto a = Address::parse("Ana@Example.org", "US");
  const auto b = Address::parse("email:ana@example.ORG", "US");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a == *b);
}

TEST_CASE("text that is no kind of address is refused with a reason") {
  struct Case {
    const char* label;
    std::string text;
    const char* why;
  };
  const Case cases[] = {
      {"two @", "ana@@example.org", "exactly one '@'"},
      {"nothing before @", "@example.org", "before '@'"},
      {"a domain without a top-level domain", "ana@localhost", "top-level domain"},
      {"a numeric top-level domain", "ana@10.0.0.1", "top-level domain"},
      {"an empty domain label", "ana@example..org", "is not valid"},
      {"a hyphen at a label's edge", "ana@-example.org", "is not valid"},
      {"a space in the mailbox", "ana garcia@example.org", "cannot be in an email address"},
      {"a brace, which would split a Redis hash tag", "ana{x}@example.org", "cannot be in an email address"},
      {"two dots in a row", "ana..garcia@example.org", "two in a row"},
      {"non-ASCII", "ana@ejemplo.espa\xC3\xB1"
                    "a",
       "only ASCII"},
      {"an email address too long for SMTP", std::string(64, 'a') + "@" + std::string(200, 'b') + ".org",
       "too long to be an email address"},
      {"a Telegram chat without an id", "telegram:", "numeric id"},
      {"a Telegram username instead of an id", "telegram:@promotora", "numeric id"},
      {"a Telegram id of 17 digits", "telegram:12345678901234567", "numeric id"},
      {"a phone number that is not one", "555-01", "not a valid number"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      std::string why;
      CHECK_FALSE(Address::parse(c.text, "US", &why));
      CHECK_THAT(why, Catch::Contains(c.why));
      CHECK(why.size() < 160);
    }
  }
}

TEST_CASE("only stored forms are read back from the store") {
  CHECK(Address::from_stored("+15595550142"));
  CHECK_FALSE(Address::from_stored("5595550142"));               // not E.164
  CHECK_FALSE(Address::from_stored("email:Ana@example.org"));    // not lower-cased: not written by us
  CHECK_FALSE(Address::from_stored("ana@example.org"));          // no scheme
  CHECK_FALSE(Address::from_stored("telegram:abc"));
  CHECK_FALSE(Address::from_stored(""));
}

TEST_CASE("an address prints masked, whatever its kind") {
  const auto phone = *Address::parse("+1 559 555 0142", "US");
  const auto email = *Address::parse("ana.garcia@example.org", "US");
  const auto chat = *Address::parse("telegram:123456789", "US");
  CHECK(fmt::format("{}", phone) == phone.masked());
  CHECK(phone.masked() == broadcaster::util::mask_phone("+15595550142"));
  CHECK(fmt::format("{}", email) == "a\u2022\u2022\u2022@e\u2022\u2022\u2022.org");
  CHECK(fmt::format("{}", chat) == "telegram:\u2022\u2022\u202289");
  for (const auto& a : {phone, email, chat}) {
    CHECK(fmt::format("{}", a).find(std::string(a.without_scheme())) == std::string::npos);
  }
  // Read back from the store, each is masked the same way; anything else
  // is masked as a phone number is.
  CHECK(broadcaster::util::mask_stored(email.canonical()) == email.masked());
  CHECK(broadcaster::util::mask_stored(chat.canonical()) == chat.masked());
  CHECK(broadcaster::util::mask_stored("+15595550142") == phone.masked());
  CHECK(broadcaster::util::mask_stored("5595550142") == broadcaster::util::mask_phone("5595550142"));
  // A phone number is an address of its own kind, with its region.
  const Address from_phone = *Phone::parse("+52 55 5555 0142", "US");
  CHECK(from_phone.is_phone());
  CHECK(from_phone.region() == "MX");
  CHECK(email.region() == "ZZ");
}
