// Strict reading of YAML mappings with file:line:column errors.
// Design: every config and campaign file goes through YamlMap, which records
// which keys were read so that `finish()` can reject unknown ones (a typo such
// as 'audiance' must not be silently ignored), and which turns yaml-cpp marks
// into 1-based positions in ConfigError. Before yaml-cpp builds a tree,
// parse_yaml bounds the text (file size, UTF-8) and walks yaml-cpp's event
// stream once to refuse what yaml-cpp would silently accept: a key given
// twice in one mapping (yaml-cpp keeps both; lookups see the first, loops
// the last), a second document, a huge scalar or deep nesting.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/errors.h"

namespace broadcaster::config {

/// Parses a YAML file with parse_yaml. Throws ConfigError if the file cannot
/// be read or is larger than kMaxYamlFileBytes (input_limits.h).
YAML::Node load_yaml_file(const std::string& path);

/// Parses YAML `text` read from `file` (named in errors). Throws ConfigError
/// "file:line:column: ..." for a syntax error, invalid UTF-8 (with its byte
/// offset), a duplicate key ("duplicate key 'x' (first at 3:1)"), a second
/// document, a scalar over kMaxYamlScalarBytes, a key over kMaxIdBytes or
/// nesting deeper than kMaxYamlDepth. Returns the first document (null for empty text).
YAML::Node parse_yaml(std::string_view text, const std::string& file);

/// A ConfigError pointing at `node` in `file`.
ConfigError error_at(const std::string& file, const YAML::Node& node, const std::string& message);

/// A YAML mapping read key by key, remembering which keys were consumed.
class YamlMap {
 public:
  /// `node` must be a mapping; throws ConfigError naming `what` otherwise.
  YamlMap(const YAML::Node& node, std::string file, std::string what);

  /// Whether `key` is present and not null; marks it as a known key.
  bool has(const std::string& key);
  /// The raw node for `key` (marks it read); undefined node if absent.
  YAML::Node node(const std::string& key);

  /// A required scalar; throws ConfigError at the map if absent or at the
  /// value if it is not a scalar of type T ("expected a number, got 'abc'").
  template <class T>
  T required(const std::string& key);

  /// An optional scalar with a default.
  template <class T>
  T optional(const std::string& key, T fallback);

  /// A list of strings (a single scalar is accepted as a one-element list).
  std::vector<std::string> string_list(const std::string& key);

  /// A nested mapping.
  YamlMap map(const std::string& key);

  /// Throws ConfigError at the first key that was never read, suggesting the
  /// closest known key ("unknown key 'audiance' (did you mean 'audience'?)").
  void finish(const std::vector<std::string>& also_allowed = {});

  /// Every key never read, as the errors finish() would throw for each, in
  /// file order (for readers that report all mistakes at once).
  std::vector<ConfigError> unknown_keys(const std::vector<std::string>& also_allowed = {}) const;

  const std::string& file() const noexcept { return file_; }
  const YAML::Node& yaml() const noexcept { return node_; }
  /// ConfigError pointing at the value of `key` (or at the map if absent).
  ConfigError error(const std::string& key, const std::string& message) const;
  /// The error for a required `key` that is absent: a near-miss key present
  /// in the map is reported at its position, otherwise the map's position.
  ConfigError missing(const std::string& key, const std::string& kind) const;

 private:
  YAML::Node node_;
  std::string file_;
  std::string what_;
  std::set<std::string> read_;
};

/// Converts a scalar node to T, throwing ConfigError at the node on failure.
template <class T>
T scalar_as(const std::string& file, const YAML::Node& node, const std::string& key);

template <class T>
T YamlMap::required(const std::string& key) {
  YAML::Node n = node(key);
  if (!n.IsDefined() || n.IsNull()) throw missing(key, "key");
  return scalar_as<T>(file_, n, key);
}

template <class T>
T YamlMap::optional(const std::string& key, T fallback) {
  YAML::Node n = node(key);
  if (!n.IsDefined() || n.IsNull()) return fallback;
  return scalar_as<T>(file_, n, key);
}

}  // namespace broadcaster::config
