// The ops/ scripts staff run by hand: every one answers --help without doing
// anything, ops/status says what runs, and ops/reset deletes only
// broadcaster's keys, only when confirmed. Run against a test redis-server
// and simulator on free ports (BC_REDIS_PORT, BC_SIM_PORT), never the
// project-local ones.
#include <catch2/catch.hpp>

#include <filesystem>

#include "pipeline_fixture.h"
#include "store/redis_client.h"

using namespace broadcaster;
using namespace broadcaster::testing;

namespace {

// Runs an ops script with extra environment; returns its exit status.
int run_script(const std::string& name, std::vector<std::string> args, std::vector<std::string> env,
               std::string* output, const std::filesystem::path& log) {
  std::vector<std::string> argv{"/bin/bash", std::string(BC_SOURCE_DIR) + "/ops/" + name};
  argv.insert(argv.end(), args.begin(), args.end());
  Process p(argv, std::move(env), log);
  const int status = p.wait(std::chrono::seconds(60));
  if (output) *output = p.output();
  return status;
}

}  // namespace

TEST_CASE("every ops script answers --help with what it does, and does nothing else", "[ops]") {
  TempDir dir;
  for (const char* name : {"quickstart", "test", "start", "status", "stop", "reset", "bench", "drill", "fuzz",
                           "keywords-eval"}) {
    DYNAMIC_SECTION(name) {
      std::string out;
      CHECK(run_script(name, {"--help"}, {}, &out, dir.path() / (std::string(name) + ".log")) == 0);
      CHECK(out.size() > 80);
      CHECK_THAT(out, !Catch::Contains("==>"));  // no step of the script ran
    }
  }
}

TEST_CASE("ops/status says what runs and ops/reset deletes only broadcaster's keys when confirmed", "[ops]") {
  Pipeline p;
  store::RedisClient redis(p.redis_server().endpoint());
  redis.command({"SET", "bc:{subs}:sub:+15595550142", "x"});
  redis.command({"SET", "bc:campaigns", "y"});
  redis.command({"SET", "someone-else:key", "z"});
  const std::string port = std::to_string(p.redis_server().port());
  const std::string sim_port = p.sim_url().substr(p.sim_url().rfind(':') + 1);
  const std::vector<std::string> env{"BC_REDIS_PORT=" + port, "BC_SIM_PORT=" + sim_port};

  std::string out;
  CHECK(run_script("status", {}, env, &out, p.dir().path() / "status.log") == 0);
  CHECK_THAT(out, Catch::Contains("redis-server           running on 127.0.0.1:" + port));
  CHECK_THAT(out, Catch::Contains("provider simulator     running"));

  // Without a terminal and without --yes nothing is deleted.
  CHECK(run_script("reset", {}, env, &out, p.dir().path() / "reset-1.log") != 0);
  CHECK_THAT(out, Catch::Contains("give --yes to delete 2 keys"));
  CHECK(redis.command({"EXISTS", "bc:campaigns"}).as_integer() == 1);

  CHECK(run_script("reset", {"--yes"}, env, &out, p.dir().path() / "reset-2.log") == 0);
  CHECK(redis.command({"EXISTS", "bc:{subs}:sub:+15595550142"}).as_integer() == 0);
  CHECK(redis.command({"EXISTS", "bc:campaigns"}).as_integer() == 0);
  CHECK(redis.command({"EXISTS", "someone-else:key"}).as_integer() == 1);

  p.redis_server().stop();
  CHECK(run_script("status", {}, env, &out, p.dir().path() / "status-2.log") == 3);
  CHECK_THAT(out, Catch::Contains("redis-server           not running"));
}
