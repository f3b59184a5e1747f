// Reading subscriber lists from CSV files.
// Design: a streaming reader that returns good rows and bad rows separately;
// a bad row is never dropped silently: it comes back with its line number and
// a reason staff can fix. Records are read by csv_reader.h (RFC 4180 quoting,
// bounded lines, linear time); each value is checked by subscriber_fields.h
// before it can reach Redis, and errors quote values only as short, masked
// excerpts (util/excerpt.h).
//
// Columns (header row required, any order, case-insensitive):
//   phone or address (one of them required: a phone number, an email
//   address, or telegram:<chat id>; util/address.h), language (required),
//   tags (separated by ';' or '|'), consent_source, consent_at, time_zone
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "store/subscriber.h"

namespace broadcaster::store {

struct CsvRowError {
  std::size_t line = 0;  ///< 1-based line where the row starts
  std::string message;
};

struct CsvImport {
  std::vector<Subscriber> rows;
  std::vector<std::size_t> row_lines;  ///< line of each entry in `rows`
  std::vector<CsvRowError> errors;
};

/// Reads all rows of `in`. `default_region` applies to numbers written
/// without a country code. Throws ConfigError if the header is unreadable,
/// lacks a required column or names a column twice; row problems (a bad
/// number, language, tag or consent text, a line over kMaxCsvLineBytes, an
/// unclosed quote) go to `errors`. A number listed twice keeps its last row
/// and the earlier one is reported.
CsvImport read_subscriber_csv(std::istream& in, const std::string& file, const std::string& default_region);

}  // namespace broadcaster::store
