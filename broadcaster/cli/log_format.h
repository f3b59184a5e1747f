// How log lines are written: for people (the default) or, with
// `--log-format json`, one JSON object per line for a log shipper.
// Design: a spdlog formatter, so every log call in every library keeps its
// one line of text and the choice is made once, at start-up. The JSON
// fields come from what the line already says: the command that runs is
// the component, a leading "campaign <id>: " is the campaign, and the first
// masked number (util::mask_phone's "+1559•••0142") is the number; a raw
// number never reaches a log line (util::Phone prints only the masked form).
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace broadcaster::cli {

/// --log-format values.
enum class LogFormat { Text, Json };

/// Parses "text" or "json"; nullopt otherwise.
std::optional<LogFormat> parse_log_format(std::string_view name);

/// The fields a JSON log line carries besides time, level and component.
struct LogFields {
  std::string campaign;  ///< "" when the line names none
  std::string number;    ///< masked, "" when the line holds none
};

/// What `message` says about campaign and number (see the file comment).
LogFields log_fields(std::string_view message);

/// A formatter writing {"time","level","component","campaign","number",
/// "message"} per line: time in UTC with milliseconds ("2026-12-02T10:04:05.123Z"),
/// campaign and number null when the line has none, bytes that are not
/// UTF-8 replaced.
std::unique_ptr<spdlog::formatter> json_log_formatter(std::string component);

}  // namespace broadcaster::cli
