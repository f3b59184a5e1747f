// Reading CSV records (RFC 4180) from a stream in bounded memory and linear
// time, whatever the input.
// Design: the stream is read one physical line at a time with a bounded
// getline, so a 50 MB line is skipped (and reported) without being held.
// A quoted field may continue on the next lines; the whole record is then
// bounded by kMaxCsvLineBytes too. A quote that never closes (the usual
// typo) is reported at the line and column where it opens, and the lines it
// swallowed are read again as records of their own, in a strict mode where
// a quote must close on its own line: each physical line is thus parsed at
// most twice, so time stays linear in the input. The lines kept for that
// second reading are bounded by the record limit.
#pragma once

#include <cstddef>
#include <deque>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace broadcaster::store {

/// One CSV record, or why the lines it would have been were refused.
struct CsvRecord {
  std::size_t line = 0;             ///< 1-based line where the record starts
  std::vector<std::string> fields;  ///< empty when `error` is set
  std::string error;                ///< non-empty: the record was refused
};

/// Reads CSV records one by one; see the file comment for the limits.
class CsvReader {
 public:
  /// Reads from `in`, which must outlive the reader.
  explicit CsvReader(std::istream& in) : in_(in) {}

  /// The next record, or nullopt at the end of the input. Never throws for
  /// bad input: refused records come back with `error` set (a line longer
  /// than kMaxCsvLineBytes, a quoted field that is not closed).
  std::optional<CsvRecord> next();

 private:
  /// One physical line, without its line break.
  struct Line {
    std::size_t number = 0;
    std::string text;
    std::size_t length = 0;  ///< bytes in the input, even when too long to keep
    bool too_long = false;
    bool strict = false;  ///< read again after an unclosed quote: no multi-line field
  };
  std::optional<Line> read_line();
  std::optional<Line> take_line();

  std::istream& in_;
  std::size_t line_ = 0;    ///< physical lines read from the stream
  std::deque<Line> again_;  ///< lines to read again, in strict mode
  std::vector<char> buffer_;
};

}  // namespace broadcaster::store
