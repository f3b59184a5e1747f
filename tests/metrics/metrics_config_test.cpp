// `metrics:` in broadcaster.yaml: off unless configured, the host must be
// written, mistakes point at file:line:column.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "util/errors.h"

using namespace broadcaster;

TEST_CASE("metrics are off unless metrics.listen names an address", "[metrics][config]") {
  CHECK(config::parse_config("{}\n", "/tmp/b.yaml").metrics.listen.empty());
  CHECK(config::parse_config("metrics:\n  listen: \"127.0.0.1:9464\"\n", "/tmp/b.yaml").metrics.listen ==
        "127.0.0.1:9464");
  CHECK(config::parse_config("metrics: {listen: \"0.0.0.0:9464\"}\n", "/tmp/b.yaml").metrics.listen == "0.0.0.0:9464");
}

TEST_CASE("a metrics address without a host, or malformed, is refused where it is written", "[metrics][config]") {
  try {
    (void)config::parse_config("metrics:\n  listen: \":9464\"\n", "/tmp/b.yaml");
    FAIL("accepted a listen address without a host");
  } catch (const ConfigError& e) {
    CHECK(e.line() == 2);
    CHECK(e.column() == 11);
    CHECK_THAT(e.message(), Catch::Contains("127.0.0.1:9464") && Catch::Contains("0.0.0.0:9464"));
  }
  CHECK_THROWS_WITH(config::parse_config("metrics:\n  listen: \"127.0.0.1\"\n", "/tmp/b.yaml"),
                    Catch::StartsWith("/tmp/b.yaml:2:11:"));
  CHECK_THROWS_WITH(config::parse_config("metrics:\n  listne: \"127.0.0.1:1\"\n", "/tmp/b.yaml"),
                    Catch::Contains("listne"));
}
