// `broadcaster inspect [TEXT]`: prints the encoding, character count, billed
// units and segments of a draft message, or of each line of standard input,
// as a table or as JSON.
#include "cli/inspect.h"

#include "cli/commands.h"
#include "util/errors.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace broadcaster::cli {

namespace {

constexpr std::string_view kEscapesHelp =
    "TEXT, and each line of standard input when TEXT is not given, is one message.\n"
    "Inside it, \\n stands for a newline, \\r for a carriage return and \\\\ for a\n"
    "backslash; any other backslash is an error. Empty input lines are skipped.\n"
    "\n"
    "GSM-7 messages hold 160 characters, or 153 per segment when longer; the\n"
    "characters ^ { } \\ [ ~ ] | and the euro sign count twice. One character\n"
    "outside GSM-7 (an accented a, i, o or u, a curly quote, an emoji, any non-Latin\n"
    "script) makes the message UCS-2: 70 units, or 67 per segment when longer.\n"
    "--smart shows the message with curly quotes, dashes, ellipses and odd spaces\n"
    "replaced, when that makes it GSM-7; letters are never changed.\n"
    "\n"
    "Examples:\n"
    "  broadcaster inspect 'Taller gratuito el sábado 10am\\nResponde ALTO para cancelar'\n"
    "  broadcaster inspect --json --smart < drafts.txt\n";

/// "á U+00E1", so invisible or look-alike characters can be told apart.
std::string describe_character(std::string_view character) {
  std::string out(character);
  for (const char32_t cp : templates::code_points(character)) {
    out += fmt::format(" U+{:04X}", static_cast<std::uint32_t>(cp));
  }
  return out;
}

/// The start of `text` on one line: escapes written back as typed, cut after
/// kInspectPreviewCharacters characters with "…".
std::string preview(std::string_view text) {
  const std::vector<std::string_view> characters = templates::split_characters(text);
  std::string out;
  const std::size_t shown = std::min(characters.size(), kInspectPreviewCharacters);
  for (std::size_t i = 0; i < shown; ++i) {
    for (const char c : characters[i]) {
      switch (c) {
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\\':
          out += "\\\\";
          break;
        default:
          out += c;
      }
    }
  }
  if (characters.size() > shown) out += "\u2026";
  return out;
}

std::string format_json(const std::vector<InspectRow>& rows) {
  nlohmann::ordered_json report = nlohmann::ordered_json::array();
  for (const InspectRow& row : rows) {
    report.push_back({
        {"line", row.line},
        {"text", row.text},
        {"encoding", templates::to_string(row.info.encoding)},
        {"characters", row.info.characters},
        {"code_units", row.info.code_units},
        {"segments", row.info.segments},
        {"non_gsm_characters", row.info.non_gsm_characters},
    });
  }
  return report.dump(2) + "\n";
}

std::string format_table(const std::vector<InspectRow>& rows) {
  struct Cells {
    std::string line, encoding, characters, units, segments, text;
  };
  std::vector<Cells> table;
  table.push_back({"#", "encoding", "chars", "units", "segments", "text"});
  std::size_t total_segments = 0;
  for (const InspectRow& row : rows) {
    table.push_back({std::to_string(row.line), std::string(templates::to_string(row.info.encoding)),
                     std::to_string(row.info.characters), std::to_string(row.info.code_units),
                     std::to_string(row.info.segments), preview(row.text)});
    total_segments += row.info.segments;
  }
  std::size_t w_line = 0, w_encoding = 0, w_characters = 0, w_units = 0, w_segments = 0;
  for (const Cells& cells : table) {
    w_line = std::max(w_line, cells.line.size());
    w_encoding = std::max(w_encoding, cells.encoding.size());
    w_characters = std::max(w_characters, cells.characters.size());
    w_units = std::max(w_units, cells.units.size());
    w_segments = std::max(w_segments, cells.segments.size());
  }
  std::string out;
  for (const Cells& cells : table) {
    out += fmt::format("{:>{}}  {:<{}}  {:>{}}  {:>{}}  {:>{}}  {}\n", cells.line, w_line,
                       cells.encoding, w_encoding, cells.characters, w_characters, cells.units,
                       w_units, cells.segments, w_segments, cells.text);
  }
  for (const InspectRow& row : rows) {
    if (row.info.non_gsm_characters.empty()) continue;
    std::string why;
    for (const std::string& character : row.info.non_gsm_characters) {
      if (!why.empty()) why += ", ";
      why += describe_character(character);
    }
    out += fmt::format("line {} is UCS-2 because of: {}\n", row.line, why);
  }
  out += fmt::format("{} message{}, {} segment{} in total\n", rows.size(),
                     rows.size() == 1 ? "" : "s", total_segments, total_segments == 1 ? "" : "s");
  return out;
}

}  // namespace

std::string decode_inspect_escapes(std::string_view line, std::string_view source,
                                   int line_number) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '\\') {
      out += line[i];
      continue;
    }
    const int column = static_cast<int>(i) + 1;
    if (i + 1 == line.size()) {
      throw ConfigError(std::string(source), line_number, column,
                        "backslash at the end of the message (write \\\\ for a backslash)");
    }
    switch (line[++i]) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case '\\':
        out += '\\';
        break;
      default:
        throw ConfigError(std::string(source), line_number, column,
                          "unknown escape (use \\n, \\r, or \\\\ for a backslash)");
    }
  }
  return out;
}

InspectRow inspect_message(std::string_view raw, std::string_view source, int line_number,
                           bool smart) {
  try {
    templates::check_utf8(raw);
  } catch (const templates::InvalidUtf8Error& e) {
    throw ConfigError(std::string(source), line_number, static_cast<int>(e.byte_offset()) + 1,
                      "invalid UTF-8 (is the file saved as UTF-8?)");
  }
  InspectRow row;
  row.line = line_number;
  row.text = decode_inspect_escapes(raw, source, line_number);
  if (smart) row.text = templates::smart_encode(row.text);
  row.info = templates::analyze_sms(row.text);
  return row;
}

std::vector<InspectRow> inspect_lines(std::istream& in, bool smart) {
  std::vector<InspectRow> rows;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    rows.push_back(inspect_message(line, kInspectStdinName, line_number, smart));
  }
  if (in.bad()) {
    throw Error(fmt::format("reading standard input failed after line {}", line_number));
  }
  return rows;
}

std::string format_inspect_report(const std::vector<InspectRow>& rows, bool json) {
  return json ? format_json(rows) : format_table(rows);
}

void run_inspect(const InspectOptions& options, std::istream& in, std::ostream& out) {
  std::vector<InspectRow> rows;
  if (options.text) {
    rows.push_back(inspect_message(*options.text, kInspectArgumentName, 1, options.smart));
  } else {
    rows = inspect_lines(in, options.smart);
  }
  out << format_inspect_report(rows, options.json) << std::flush;
}

void add_inspect_command(CLI::App& app) {
  // CLI11 fills these before the callback runs; the callback owns a share.
  struct Parsed {
    std::string text;
    bool json = false;
    bool smart = false;
  };
  auto parsed = std::make_shared<Parsed>();
  CLI::App* command = app.add_subcommand(
      "inspect", "Show the encoding, length and segments (cost) of draft messages");
  CLI::Option* text = command->add_option(
      "text", parsed->text, "The message; without it, each line of standard input is one");
  command->add_flag("--json", parsed->json,
                    "Print a JSON array of {line, text, encoding, characters, code_units, "
                    "segments, non_gsm_characters}");
  command->add_flag("--smart", parsed->smart,
                    "Replace curly quotes, dashes, ellipses and odd spaces with GSM-7 "
                    "characters first (only when that makes the message GSM-7)");
  command->footer(std::string(kEscapesHelp));
  command->callback([parsed, text] {
    InspectOptions options;
    if (text->count() > 0) options.text = parsed->text;
    options.json = parsed->json;
    options.smart = parsed->smart;
    run_inspect(options, std::cin, std::cout);
  });
}

}  // namespace broadcaster::cli
