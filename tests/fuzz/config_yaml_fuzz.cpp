// Fuzz target: configuration YAML (config/config.cpp, inbound_config.cpp)
// and the keywords file (keywords/keyword_set_load.cpp), both through
// config/yaml_reader.h. Every refusal must be a short ConfigError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.h"
#include "fuzz/fuzz_check.h"
#include "keywords/keyword_set.h"
#include "util/errors.h"

using namespace broadcaster;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  try {
    (void)config::parse_config(yaml, "/fuzz/config/broadcaster.yaml");
  } catch (const Error& e) {
    fuzz::require_short(e.what());
  }
  try {
    const keywords::KeywordSet set = keywords::KeywordSet::parse(yaml, "/fuzz/config/keywords.yaml");
    (void)set.classify("stop");
  } catch (const Error& e) {
    fuzz::require_short(e.what());
  }
  return 0;
}
