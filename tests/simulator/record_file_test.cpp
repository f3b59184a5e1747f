// The --record JSON-lines file.
#include "simulator/record_file.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "util/errors.h"

namespace sim = broadcaster::simulator;
namespace fs = std::filesystem;

namespace {
/// A unique path in the temp directory, removed at scope exit.
struct TempPath {
  fs::path path = fs::temp_directory_path() /
                  ("bc-sim-record-" + std::to_string(::getpid()) + "-" +
                   std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".jsonl");
  ~TempPath() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}
}  // namespace

TEST_CASE("RecordFile appends lines in order", "[simulator][record_file]") {
  TempPath tmp;
  { std::ofstream(tmp.path) << "existing\n"; }
  {
    sim::RecordFile file(tmp.path.string(), 4);  // small queue: exercises back-pressure
    for (int i = 0; i < 100; ++i) file.append("{\"n\":" + std::to_string(i) + "}");
    file.flush();
    const auto lines = read_lines(tmp.path);
    REQUIRE(lines.size() == 101);
    CHECK(lines[0] == "existing");
    CHECK(lines[1] == "{\"n\":0}");
    CHECK(lines[100] == "{\"n\":99}");
    file.append("last");
  }  // the destructor drains the queue
  const auto lines = read_lines(tmp.path);
  REQUIRE(lines.size() == 102);
  CHECK(lines.back() == "last");
}

TEST_CASE("RecordFile reports a path it cannot open", "[simulator][record_file]") {
  CHECK_THROWS_AS(sim::RecordFile("/nonexistent-dir/x/record.jsonl"), broadcaster::Error);
  CHECK_THROWS_WITH(sim::RecordFile("/nonexistent-dir/x/record.jsonl"),
                    Catch::Contains("/nonexistent-dir/x/record.jsonl"));
}
