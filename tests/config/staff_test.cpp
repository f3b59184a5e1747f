// The `staff:` and `approval:` sections: what is read, and every mistake
// refused at its position.
#include "config/staff.h"

#include <catch2/catch.hpp>

#include "config/config.h"
#include "config_error.h"
#include "support/temp_dir.h"

using broadcaster::config::load_config;
using broadcaster::testing::TempDir;

namespace {

// SHA-256 of "test" and of "other", as `broadcaster staff token` would print them.
constexpr const char* kHashA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
constexpr const char* kHashB = "d9298a10d1b0735837dc4bd85dac641b0f3cef27a47e5d53a54f2f3f5b2fcffa";

}  // namespace

TEST_CASE("staff and the approval rule are read from broadcaster.yaml") {
  TempDir dir;
  const auto file =
      dir.write("config/broadcaster.yaml", std::string("staff:\n  - name: Ana Ruiz\n    token_sha256: ") + kHashA +
                                               "\n  - {name: Luis Vang, token_sha256: " +
                                               "D9298A10D1B0735837DC4BD85DAC641B0F3CEF27A47E5D53A54F2F3F5B2FCFFA}\n"
                                               "approval:\n  urgent_needs_second_person: false\n");
  const auto cfg = load_config(file);
  REQUIRE(cfg.staff.size() == 2);
  CHECK(cfg.staff[0].name == "Ana Ruiz");
  CHECK(cfg.staff[0].token_sha256 == kHashA);
  CHECK(cfg.staff[0].token_digest[0] == 0x9f);
  CHECK(cfg.staff[0].source == file.string() + ":2:5");
  CHECK(cfg.staff[1].name == "Luis Vang");
  CHECK(cfg.staff[1].token_sha256 == kHashB);  // upper-case hex is accepted and kept lower-case
  CHECK_FALSE(cfg.approval.urgent_needs_second_person);
}

TEST_CASE("without staff or approval sections there is no one and urgent campaigns need a second person") {
  TempDir dir;
  const auto cfg = load_config(dir.write("broadcaster.yaml", "currency: USD\n"));
  CHECK(cfg.staff.empty());
  CHECK(cfg.approval.urgent_needs_second_person);
}

TEST_CASE("staff mistakes are refused with file, line and column") {
  struct Case {
    const char* label;
    std::string yaml;
    const char* position;  // "line:column"
    const char* fragment;
  };
  const std::string a = std::string("  - name: Ana Ruiz\n    token_sha256: ") + kHashA + "\n";
  const Case cases[] = {
      {"a token in clear text", "staff:\n  - name: Ana Ruiz\n    token: bcst_abc\n", "3:12",
       "do not put a staff token in the file"},
      {"a token in clear text beside its hash", "staff:\n" + a + "    token: bcst_abc\n", "4:12",
       "do not put a staff token in the file"},
      {"an empty token key", "staff:\n  - name: Ana Ruiz\n    token:\n", "3:5", "do not put a staff token"},
      {"the token pasted as the hash", "staff:\n  - name: Ana Ruiz\n    token_sha256: bcst_abcdef\n", "3:19",
       "holds a token, not its hash"},
      {"a short hash", "staff:\n  - name: Ana Ruiz\n    token_sha256: 9f86d0\n", "3:19",
       "'token_sha256' must be 64 hex digits"},
      {"a hash with a non-hex digit", "staff:\n  - name: Ana Ruiz\n    token_sha256: " + std::string(63, 'a') + "g\n",
       "3:19", "must be 64 hex digits"},
      {"a missing hash", "staff:\n  - name: Ana Ruiz\n", "2:5", "missing required key 'token_sha256'"},
      {"a missing name", std::string("staff:\n  - token_sha256: ") + kHashA + "\n", "2:5",
       "missing required key 'name' in a staff entry"},
      {"an empty name", std::string("staff:\n  - name: \"\"\n    token_sha256: ") + kHashA + "\n", "2:11",
       "must not be empty"},
      {"a name with a tab", std::string("staff:\n  - name: \"Ana\\tRuiz\"\n    token_sha256: ") + kHashA + "\n", "2:11",
       "control characters"},
      {"a misspelt key", std::string("staff:\n  - name: Ana Ruiz\n    token_sha265: ") + kHashA + "\n", "3:5",
       "did you mean 'token_sha256'"},
      {"a name given twice", "staff:\n" + a + "  - name: ana ruiz\n    token_sha256: " + kHashB + "\n", "4:11",
       "staff name 'ana ruiz' given twice (first at 2:11)"},
      {"a hash given twice", "staff:\n" + a + "  - name: Luis Vang\n    token_sha256: " + kHashA + "\n", "5:19",
       "this token_sha256 is given twice (first at 3:19)"},
      {"staff not a list", "staff:\n  name: Ana Ruiz\n", "2:3", "'staff' must be a list"},
      {"an approval rule that is not a boolean", "approval:\n  urgent_needs_second_person: maybe\n", "2:31",
       "must be true or false"},
      {"a misspelt approval key", "approval:\n  urgent_needs_second_persons: false\n", "2:3",
       "did you mean 'urgent_needs_second_person'"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      TempDir dir;
      const auto failure = broadcaster::testing::config_failure(dir, c.yaml);
      CHECK_THAT(failure.message, Catch::StartsWith(failure.file + ":" + c.position + ": "));
      CHECK_THAT(failure.message, Catch::Contains(c.fragment));
    }
  }
}

TEST_CASE("a token written in the file is never echoed in the error") {
  TempDir dir;
  const auto failure =
      broadcaster::testing::config_failure(dir, "staff:\n  - name: Ana Ruiz\n    token: bcst_SECRETSECRET\n");
  CHECK_THAT(failure.message, !Catch::Contains("SECRETSECRET"));
}

TEST_CASE("staff names: what may name a person") {
  using broadcaster::config::staff_name_problem;
  CHECK_FALSE(staff_name_problem("Ana Ruiz"));
  CHECK_FALSE(staff_name_problem("José Ñúñez-Xiong"));
  CHECK(staff_name_problem(""));
  CHECK(staff_name_problem(" Ana"));
  CHECK(staff_name_problem("Ana "));
  CHECK(staff_name_problem("Ana\nRuiz"));
  CHECK(staff_name_problem(std::string(broadcaster::config::kMaxStaffNameBytes + 1, 'a')));
  CHECK_FALSE(staff_name_problem(std::string(broadcaster::config::kMaxStaffNameBytes, 'a')));
}
