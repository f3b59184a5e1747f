// Fuzz target: inbound texts through the keyword engine
// (keywords/normalize.h, keyword_set.h) with the shipped config/keywords.yaml.
// classify() must never throw; normalize() throws only InvalidText.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "keywords/keyword_set.h"
#include "keywords/normalize.h"

using namespace broadcaster;

namespace {

const keywords::KeywordSet& shipped_keywords() {
  static const keywords::KeywordSet set = keywords::KeywordSet::load(BC_SOURCE_DIR "/config/keywords.yaml");
  return set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const keywords::Intent intent = shipped_keywords().classify(text);
  fuzz::require(intent.action == keywords::Action::None || !intent.matched.empty(), "a match says what matched");
  try {
    (void)keywords::normalize(text);
    (void)keywords::words(text);
  } catch (const keywords::InvalidText& e) {
    fuzz::require_short(e.what());
  }
  (void)keywords::written_without_spaces(text);
  return 0;
}
