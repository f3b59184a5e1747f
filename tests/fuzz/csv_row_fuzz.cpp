// Fuzz target: subscriber CSV files (store/csv_reader.h, store/subscriber_csv.h).
// Each input is read twice: as raw CSV records, and as a subscriber file
// behind a valid header. Accepted rows must pass subscriber_fields.h.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz/fuzz_check.h"
#include "store/csv_reader.h"
#include "store/subscriber_csv.h"
#include "store/subscriber_fields.h"
#include "util/errors.h"

using namespace broadcaster;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  {
    std::istringstream in(text);
    store::CsvReader reader(in);
    while (const auto record = reader.next()) fuzz::require_short(record->error);
  }
  std::istringstream in("phone,language,tags,consent_source,consent_at\n" + text);
  try {
    const store::CsvImport csv = store::read_subscriber_csv(in, "fuzz.csv", "US");
    fuzz::require(csv.rows.size() == csv.row_lines.size(), "one line per row");
    for (const auto& e : csv.errors) fuzz::require_short(e.message);
    for (const auto& row : csv.rows) {
      fuzz::require(!store::language_problem(row.language), "accepted language is valid");
      fuzz::require(!store::tags_problem(row.tags), "accepted tags are storable");
      fuzz::require(!store::stored_text_problem(row.consent_source), "accepted consent_source is storable");
    }
  } catch (const ConfigError& e) {
    fuzz::require_short(e.what());
  }
  return 0;
}
