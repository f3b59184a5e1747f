// Bounded, linear-time CSV record reading.
#include "store/csv_reader.h"

#include <limits>

#include "util/input_limits.h"

namespace broadcaster::store {

namespace {

// Parse state carried from one physical line to the next inside a record.
struct FieldState {
  std::vector<std::string> fields;
  std::string field;
  bool in_quotes = false;
  bool at_field_start = true;
  std::size_t quote_line = 0;    ///< where the open quote is
  std::size_t quote_column = 0;  ///< 1-based byte column
};

// Parses one physical line into `state`. A '"' opens a quoted field only at
// the start of a field; elsewhere it is an ordinary character.
void parse_line(const std::string& text, std::size_t line, FieldState& state) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (state.in_quotes) {
      if (c != '"') {
        state.field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        state.field += '"';
        ++i;
      } else {
        state.in_quotes = false;
      }
    } else if (c == ',') {
      state.fields.push_back(std::move(state.field));
      state.field.clear();
      state.at_field_start = true;
    } else if (c == '"' && state.at_field_start) {
      state.in_quotes = true;
      state.at_field_start = false;
      state.quote_line = line;
      state.quote_column = i + 1;
    } else {
      state.field += c;
      state.at_field_start = false;
    }
  }
}

std::string too_long_message(std::size_t length) {
  return "the line is " + std::to_string(length) + " bytes long; a line has at most " +
         std::to_string(util::kMaxCsvLineBytes) + " bytes, so it is skipped";
}

std::string unclosed_message(const FieldState& state, const std::string& why) {
  return "the quoted field opened at line " + std::to_string(state.quote_line) + ", column " +
         std::to_string(state.quote_column) + " is not closed " + why +
         " (add the closing '\"'; write a '\"' inside quotes as '\"\"'), so the row is skipped";
}

}  // namespace

std::optional<CsvReader::Line> CsvReader::read_line() {
  if (!in_) return std::nullopt;
  // One more than the limit, plus the terminator getline writes.
  buffer_.resize(util::kMaxCsvLineBytes + 2);
  in_.getline(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  const auto count = static_cast<std::size_t>(in_.gcount());
  const bool at_end = in_.eof();
  if (count == 0 && at_end) return std::nullopt;  // nothing after the last line break
  Line line;
  line.number = ++line_;
  if (in_.fail() && !at_end) {
    // The buffer filled before the line ended: skip the rest without keeping it.
    in_.clear();
    in_.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    line.length = count + static_cast<std::size_t>(in_.gcount());
    line.too_long = true;
    return line;
  }
  // getline counts the line break it consumed, unless the input ended.
  line.length = at_end ? count : count - 1;
  if (line.length > util::kMaxCsvLineBytes) {
    line.too_long = true;
    return line;
  }
  line.text.assign(buffer_.data(), line.length);  // NUL bytes included
  if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
  return line;
}

std::optional<CsvReader::Line> CsvReader::take_line() {
  if (!again_.empty()) {
    Line line = std::move(again_.front());
    again_.pop_front();
    return line;
  }
  return read_line();
}

std::optional<CsvRecord> CsvReader::next() {
  auto first = take_line();
  if (!first) return std::nullopt;
  CsvRecord record;
  record.line = first->number;
  if (first->too_long) {
    record.error = too_long_message(first->length);
    return record;
  }
  FieldState state;
  parse_line(first->text, first->number, state);
  std::vector<Line> swallowed;  // lines after the first, for a second reading
  std::size_t bytes = first->text.size();
  while (state.in_quotes) {
    if (first->strict) {
      record.error = unclosed_message(state, "on its line");
      return record;
    }
    // Lines to read again are strict, so a record that is not strict reads
    // from the stream only.
    auto more = take_line();
    std::string why;
    if (!more) {
      why = "before the end of the file";
    } else if (more->too_long || bytes + more->text.size() + 1 > util::kMaxCsvLineBytes) {
      why = "within " + std::to_string(util::kMaxCsvLineBytes / 1024) + " KiB";
    }
    if (!why.empty()) {
      record.error = unclosed_message(state, why);
      // Read the swallowed lines again, each as a record that stays on its line.
      if (more) swallowed.push_back(std::move(*more));
      for (auto it = swallowed.rbegin(); it != swallowed.rend(); ++it) {
        it->strict = true;
        again_.push_front(std::move(*it));
      }
      return record;
    }
    bytes += more->text.size() + 1;
    state.field += '\n';
    parse_line(more->text, more->number, state);
    swallowed.push_back(std::move(*more));
  }
  state.fields.push_back(std::move(state.field));
  record.fields = std::move(state.fields);
  return record;
}

}  // namespace broadcaster::store
