// Fuzz target: ICU MessageFormat templates (templates/message_template.h).
// A pattern that compiles is rendered with a text value for every argument
// (and a number or date where it needs one), and the result is measured as
// an SMS.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "templates/message_template.h"
#include "templates/sms_encoding.h"
#include "util/errors.h"

using namespace broadcaster;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string pattern(reinterpret_cast<const char*>(data), size);
  try {
    const auto t = templates::MessageTemplate::compile(pattern, "es", "fuzz/es.txt");
    templates::Variables vars;
    for (const auto& use : t.uses()) {
      switch (use.use) {
        case templates::ArgumentUse::Number:
          vars.insert_or_assign(use.name, templates::Value::number(3));
          break;
        case templates::ArgumentUse::DateTime:
          vars.insert_or_assign(use.name, templates::parse_datetime("2026-12-05T10:00", "America/Los_Angeles"));
          break;
        default:
          vars.emplace(use.name, templates::Value::text("Fresno"));
      }
    }
    if (t.check(vars).empty()) (void)templates::analyze_sms(t.render(vars));
  } catch (const Error& e) {
    fuzz::require_short(e.what());
  }
  return 0;
}
