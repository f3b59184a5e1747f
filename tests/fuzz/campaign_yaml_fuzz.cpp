// Fuzz target: campaign YAML files (campaign/campaign_file.cpp through
// config/yaml_reader.h). Every refusal must be a short ConfigError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "campaign/campaign.h"
#include "fuzz/fuzz_check.h"
#include "store/subscriber_fields.h"
#include "util/errors.h"

using namespace broadcaster;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  try {
    const campaign::Campaign c = campaign::parse_campaign_text(yaml, "fuzz.yaml");
    for (const auto& tag : c.tag_values()) fuzz::require(!store::tag_problem(tag), "accepted tag is storable");
  } catch (const Error& e) {
    fuzz::require_short(e.what());
  }
  return 0;
}
