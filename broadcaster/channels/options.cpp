// Typed access to provider options, with errors located in the config file.
#include "channels/options.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace broadcaster::channels {

namespace {

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
  throw settings_error(settings_,
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
    throw settings_error(settings_, message);
  }
}

void OptionReader::refuse_inline_secret(std::string_view key, std::string_view env_key) const {
  if (!has(key)) return;
  fail(key,
       "must not be written in the config file: secrets stay out of YAML. Remove it (and "
       "rotate the secret if the file was shared), then put it in an environment variable "
       "named by option " +
           std::string(env_key));
}

std::string OptionReader::secret_from_env(std::string_view env_key, const std::string& variable,
                                          std::string_view what, const EnvLookup& env) const {
  const auto value = env(variable);
  if (!value || value->empty()) {
    throw settings_error(settings_, "environment variable " + variable + (value ? " is empty" : " is not set") +
                                        "; export it with " + std::string(what) + " (option " +
                                        std::string(env_key) + " names the variable to read)");
  }
  return *value;
}

}  // namespace broadcaster::channels
