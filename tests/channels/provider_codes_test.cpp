// Provider codes: each provider folder declares its own, and what the sender
// and stats look up (stop the subscriber, count as unreachable, the meaning
// in words) comes from those declarations.
#include "channels/provider_codes.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "channels/registry.h"

namespace broadcaster::channels {

TEST_CASE("provider codes: no two providers declare the same code", "[channels][codes]") {
  std::set<std::string_view> seen;
  std::size_t declared = 0;
  for (const Provider* p : providers()) {
    for (const ProviderCode& c : p->codes) {
      INFO(p->type << " " << c.code);
      CHECK(seen.insert(c.code).second);
      CHECK_FALSE(c.meaning.empty());
      ++declared;
    }
  }
  CHECK(declared >= 20);  // Twilio's and Kannel's are all there
}

TEST_CASE("provider codes: what each code makes broadcaster do", "[channels][codes]") {
  // Twilio 21610: the subscriber replied STOP to the carrier: stopped here too.
  CHECK(is_opt_out_code("21610"));
  CHECK_FALSE(is_opt_out_code("30007"));
  CHECK_FALSE(is_opt_out_code(""));
  // Carrier filtering and the like: named and counted as unreachable.
  for (const char* code : {"30003", "30005", "30006", "30007", "21614"}) {
    INFO(code);
    CHECK(is_unreachable_code(code));
  }
  CHECK_FALSE(is_unreachable_code("30008"));
  CHECK(code_meaning("30007") == "Message filtered by the carrier");
  REQUIRE(find_code("20429"));
  CHECK(find_code("20429")->kind == CodeKind::Throttled);
  REQUIRE(find_code("20003"));
  CHECK(to_string(find_code("20003")->kind) == "configuration");
  // Kannel's own DLR codes are Kannel's declarations.
  CHECK(code_meaning("kannel-16") == "Rejected by the SMSC (Kannel DLR 16)");
  // An SMSC's own code, or an unknown one, has no meaning here.
  CHECK(code_meaning("smsc-034").empty());
  CHECK(find_code("99999") == nullptr);
}

}  // namespace broadcaster::channels
