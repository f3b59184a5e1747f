// Typed access to channel options, with errors located in the config file.
#include "channels/options.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace broadcaster::channels {

namespace {

// Splits "file:line:col" into its parts; anything else is all file.
struct SourcePosition {
  std::string file;
  int line = 0;
  int column = 0;
};

std::optional<int> parse_positive(std::string_view s) {
  int value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || value <= 0) return std::nullopt;
  return value;
}

SourcePosition split_source(const std::string& source) {
  const auto last = source.rfind(':');
  if (last == std::string::npos || last == 0) return {source};
  const auto middle = source.rfind(':', last - 1);
  if (middle == std::string::npos) return {source};
  const std::string_view view(source);
  const auto line = parse_positive(view.substr(middle + 1, last - middle - 1));
  const auto column = parse_positive(view.substr(last + 1));
  if (!line || !column) return {source};
  return {source.substr(0, middle), *line, *column};
}

// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

constexpr std::size_t kNearMiss = 3;  // suggest only keys closer than this

// How far `typed` is from `known` for suggestions: the edit distance, but
// near when one is a prefix of the other ("timeout" for "timeout_ms").
std::size_t suggestion_distance(std::string_view typed, std::string_view known) {
  const std::size_t shorter = std::min(typed.size(), known.size());
  if (shorter >= 4 && typed.substr(0, shorter) == known.substr(0, shorter)) return 1;
  return edit_distance(typed, known);
}

}  // namespace

ConfigError channel_config_error(const ChannelSettings& settings, std::string_view message) {
  const SourcePosition where = split_source(settings.source);
  std::string text = "channel '" + settings.name + "'";
  if (!settings.type.empty()) text += " (" + settings.type + ")";
  text += ": ";
  text += message;
  return ConfigError(where.file, where.line, where.column, std::move(text));
}

std::optional<std::string> OptionReader::optional(std::string_view key) {
  read_.emplace(key);
  const auto it = settings_.options.find(std::string(key));
  if (it == settings_.options.end()) return std::nullopt;
  return it->second;
}

std::string OptionReader::value_or(std::string_view key, std::string_view fallback) {
  auto value = optional(key);
  return value ? std::move(*value) : std::string(fallback);
}

std::string OptionReader::required(std::string_view key, std::string_view hint) {
  auto value = optional(key);
  if (!value) {
    // A near miss among the keys present is the likelier mistake. It may yet
    // be a valid key not read so far, so ask rather than call it unknown.
    std::string near;
    for (const auto& [present, ignored] : settings_.options) {
      if (suggestion_distance(present, key) < kNearMiss) near = present;
    }
    std::string message = "is required (" + std::string(hint) + ")";
    if (!near.empty()) message += "; is '" + near + "' a misspelling of it?";
    fail(key, message);
  }
  if (value->empty()) fail(key, "is empty (" + std::string(hint) + ")");
  return std::move(*value);
}

std::chrono::milliseconds OptionReader::milliseconds(std::string_view key,
                                                     std::chrono::milliseconds fallback,
                                                     std::chrono::milliseconds max) {
  const auto value = optional(key);
  if (!value) return fallback;
  long long ms = 0;
  const char* first = value->data();
  const char* last = first + value->size();
  const auto [end, ec] = std::from_chars(first, last, ms);
  if (ec != std::errc{} || end != last || ms <= 0 || ms > max.count()) {
    fail(key, "must be a whole number of milliseconds from 1 to " + std::to_string(max.count()) +
                  ", got '" + *value + "'");
  }
  return std::chrono::milliseconds(ms);
}

bool OptionReader::has(std::string_view key) const {
  return settings_.options.find(std::string(key)) != settings_.options.end();
}

void OptionReader::fail(std::string_view key, std::string_view message) const {
  throw channel_config_error(settings_,
                             "option '" + std::string(key) + "' " + std::string(message));
}

void OptionReader::finish() const {
  for (const auto& [key, ignored] : settings_.options) {
    if (read_.find(key) != read_.end()) continue;
    std::string best;
    std::size_t best_distance = kNearMiss;
    for (const auto& known : read_) {
      const std::size_t d = suggestion_distance(key, known);
      if (d < best_distance) {
        best_distance = d;
        best = known;
      }
    }
    std::string message = "unknown option '" + key + "'";
    if (!best.empty()) message += " (did you mean '" + best + "'?)";
    throw channel_config_error(settings_, message);
  }
}

}  // namespace broadcaster::channels
