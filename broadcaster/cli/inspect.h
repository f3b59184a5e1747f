// `broadcaster inspect`: encoding, length and segments of draft messages, so
// staff see what a text costs before it goes to thousands of subscribers.
// The parts that do not touch the terminal are declared here for tests; the
// command itself is registered by add_inspect_command (cli/commands.h).
#pragma once

#include "templates/sms_encoding.h"

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace broadcaster::cli {

/// Name used in error positions for messages read from standard input.
inline constexpr std::string_view kInspectStdinName = "<stdin>";
/// Name used in error positions for the TEXT argument.
inline constexpr std::string_view kInspectArgumentName = "TEXT";
/// Characters of a message shown in the table's text column before "…".
inline constexpr std::size_t kInspectPreviewCharacters = 40;

/// What `broadcaster inspect` was asked to do.
struct InspectOptions {
  std::optional<std::string> text;  ///< TEXT; nullopt reads standard input.
  bool json = false;                ///< --json: JSON array instead of a table.
  bool smart = false;               ///< --smart: apply templates::smart_encode first.
};

/// One analysed message.
struct InspectRow {
  int line = 0;             ///< 1-based input line; 1 for the TEXT argument.
  std::string text;         ///< The message analysed (after --smart, if given).
  templates::SmsInfo info;  ///< Its encoding, length and segments.
};

/// Decodes the escapes of one input line: `\n` newline, `\r` carriage return,
/// `\\` backslash; everything else is copied. Throws ConfigError positioned at
/// `source:line_number:column` (column: 1-based byte of the backslash) for any
/// other escape or a backslash ending the line.
[[nodiscard]] std::string decode_inspect_escapes(std::string_view line, std::string_view source,
                                                 int line_number);

/// Analyses one raw message as typed (escapes not yet decoded): checks UTF-8,
/// decodes escapes, applies smart_encode when `smart`. Throws ConfigError
/// positioned at `source:line_number:column` for invalid UTF-8 or a bad escape.
[[nodiscard]] InspectRow inspect_message(std::string_view raw, std::string_view source,
                                         int line_number, bool smart);

/// Analyses each line of `in` as one message. Empty lines are skipped (rows
/// keep their line numbers); one trailing carriage return per line is dropped
/// so files saved with CRLF line ends work. Throws ConfigError (positioned at
/// `<stdin>:line:column`) at the first bad line, Error if reading fails.
[[nodiscard]] std::vector<InspectRow> inspect_lines(std::istream& in, bool smart);

/// Renders rows as an aligned table (columns #, encoding, chars, units,
/// segments, text preview), followed by why each UCS-2 message is UCS-2 and a
/// total; or, when `json`, as a JSON array of objects {line, text, encoding
/// ("GSM-7" | "UCS-2"), characters, code_units, segments, non_gsm_characters}.
/// Both end with a newline.
[[nodiscard]] std::string format_inspect_report(const std::vector<InspectRow>& rows, bool json);

/// Runs `inspect`: analyses options.text, or each line of `in`, and writes the
/// report to `out`. Throws ConfigError for bad input, before writing anything.
void run_inspect(const InspectOptions& options, std::istream& in, std::ostream& out);

}  // namespace broadcaster::cli
