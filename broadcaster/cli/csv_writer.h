// Writing RFC 4180 CSV: the format `subscribers export` and `consent export`
// produce, readable by spreadsheets and by `subscribers import`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace broadcaster::cli {

/// `field` quoted when it holds a comma, quote, CR or LF (quotes doubled).
inline std::string csv_field(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

/// Writes one CSV record, CRLF-terminated as RFC 4180 asks.
inline void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << csv_field(fields[i]);
  out << "\r\n";
}

}  // namespace broadcaster::cli
