// A campaign as staff write it in config/campaigns/*.yaml.
// Design: parsing keeps the position of every value a later check may
// complain about, so validation can point at file:line:column even though it
// runs after the YAML is gone.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "templates/message_template.h"

namespace broadcaster::campaign {

/// A 1-based position in a campaign file.
struct SourcePos {
  int line = 0;
  int column = 0;
};

/// A value with where it was written.
template <class T>
struct Located {
  T value{};
  SourcePos pos;
};

/// Who receives the campaign: active subscribers whose language is one of
/// `languages` (all when empty) and who carry at least one of `tags` (any
/// tags when empty).
struct Audience {
  std::vector<Located<std::string>> languages;
  std::vector<Located<std::string>> tags;
  SourcePos pos;
};

struct Campaign {
  std::string file;  ///< the YAML file, for messages
  Located<std::string> id;
  std::string description;
  Located<std::string> template_name;
  Located<std::string> channel;
  Audience audience;
  templates::Variables variables;
  std::map<std::string, SourcePos> variable_pos;
  SourcePos variables_pos;
  /// When to start sending; nullopt means as soon as it is submitted.
  std::optional<std::chrono::system_clock::time_point> send_at;

  std::vector<std::string> language_values() const;
  std::vector<std::string> tag_values() const;
};

/// Reads a campaign file. Throws ConfigError at the first structural problem:
/// YAML syntax, unknown key, missing or mistyped value, bad id or send_at.
Campaign parse_campaign_file(const std::filesystem::path& path);

/// Parses "2026-12-05T10:00:00-08:00" (or ...Z); nullopt if malformed.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(const std::string& text);

}  // namespace broadcaster::campaign
