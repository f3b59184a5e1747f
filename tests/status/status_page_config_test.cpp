// `status_page:` in broadcaster.yaml: off unless configured, a host must be
// written, the token stays out of the file, mistakes point at
// file:line:column.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "util/errors.h"

using namespace broadcaster;

TEST_CASE("the status page is off unless status_page.listen names an address", "[status][config]") {
  const auto off = config::parse_config("{}\n", "/tmp/b.yaml").status_page;
  CHECK(off.listen.empty());
  const auto on = config::parse_config("status_page:\n  listen: \"127.0.0.1:9465\"\n", "/tmp/b.yaml").status_page;
  CHECK(on.listen == "127.0.0.1:9465");
  CHECK(on.token_env == "BROADCASTER_STATUS_TOKEN");
  CHECK(config::parse_config("status_page: {listen: \"[::1]:9465\", token_env: OPS_PAGE_TOKEN}\n", "/tmp/b.yaml")
            .status_page.token_env == "OPS_PAGE_TOKEN");
}

TEST_CASE("status_page mistakes are refused where they are written", "[status][config]") {
  try {
    (void)config::parse_config("status_page:\n  listen: \":9465\"\n", "/tmp/b.yaml");
    FAIL("accepted a listen address without a host");
  } catch (const ConfigError& e) {
    CHECK(e.line() == 2);
    CHECK(e.column() == 11);
    CHECK_THAT(e.message(), Catch::Contains("127.0.0.1:9465") && Catch::Contains("the status page"));
  }
  CHECK_THROWS_WITH(config::parse_config("status_page:\n  listen: 127.0.0.1:1\n  token: hunter2hunter2hunter2\n",
                                         "/tmp/b.yaml"),
                    Catch::StartsWith("/tmp/b.yaml:3:") && Catch::Contains("environment") &&
                        !Catch::Contains("hunter2"));
  CHECK_THROWS_WITH(
      config::parse_config("status_page:\n  listen: 127.0.0.1:1\n  token_env: \"MY TOKEN\"\n", "/tmp/b.yaml"),
      Catch::StartsWith("/tmp/b.yaml:3:14:"));
  CHECK_THROWS_WITH(config::parse_config("status_page:\n  lisen: 127.0.0.1:1\n", "/tmp/b.yaml"),
                    Catch::Contains("lisen"));
}
