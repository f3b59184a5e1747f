// Strict YAML mapping reader: positions, types and unknown-key detection.
#include "config/yaml_reader.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "util/excerpt.h"
#include "util/input_limits.h"
#include "util/utf8.h"

namespace broadcaster::config {

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string describe_node(const YAML::Node& n) {
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  if (n.IsScalar()) return "'" + util::excerpt(n.Scalar()) + "'";
  return "nothing";
}

template <class T>
const char* type_name();
template <>
const char* type_name<std::string>() {
  return "text";
}
template <>
const char* type_name<int>() {
  return "a whole number";
}
template <>
const char* type_name<long>() {
  return "a whole number";
}
template <>
const char* type_name<double>() {
  return "a number";
}
template <>
const char* type_name<bool>() {
  return "true or false";
}

// Refuses, from yaml-cpp's event stream, what the node tree would hide: see
// the file comment of yaml_reader.h. Throws ConfigError.
class StrictEvents : public YAML::EventHandler {
 public:
  explicit StrictEvents(const std::string& file) : file_(file) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      throw error(mark, "a second YAML document ('---') is not allowed: put everything in one");
    }
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark, nullptr); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark, nullptr); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string& value) override {
    if (value.size() > util::kMaxYamlScalarBytes) {
      throw error(mark, "a value of " + std::to_string(value.size()) + " bytes; a value has at most " +
                            std::to_string(util::kMaxYamlScalarBytes / 1024) + " KiB");
    }
    node(mark, &value);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(mark, false);
  }
  void OnSequenceEnd() override { stack_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(mark, true);
  }
  void OnMapEnd() override { stack_.pop_back(); }

 private:
  struct Container {
    bool is_map = false;
    bool expect_key = true;
    std::map<std::string, YAML::Mark> keys;  ///< scalar keys seen, with where
  };

  ConfigError error(const YAML::Mark& mark, const std::string& message) const {
    return ConfigError(file_, mark.line + 1, mark.column + 1, message);
  }

  // Every node starts here: in a mapping, keys and values alternate.
  void node(const YAML::Mark& mark, const std::string* scalar) {
    if (stack_.empty() || !stack_.back().is_map) return;
    Container& map = stack_.back();
    if (map.expect_key && scalar) {
      // Keys name things (channels, variables, languages) that messages quote.
      if (scalar->size() > util::kMaxIdBytes) {
        throw error(mark, "a key of " + std::to_string(scalar->size()) + " bytes ('" + util::excerpt(*scalar) +
                              "'); a key has at most " + std::to_string(util::kMaxIdBytes));
      }
      const auto [it, added] = map.keys.emplace(*scalar, mark);
      if (!added) {
        throw error(mark, "duplicate key '" + util::excerpt(*scalar) + "' (first at " +
                              std::to_string(it->second.line + 1) + ":" + std::to_string(it->second.column + 1) + ")");
      }
    }
    map.expect_key = !map.expect_key;
  }

  void open(const YAML::Mark& mark, bool is_map) {
    node(mark, nullptr);
    if (stack_.size() >= util::kMaxYamlDepth) {
      throw error(mark, "nested more than " + std::to_string(util::kMaxYamlDepth) + " levels deep");
    }
    stack_.push_back({is_map, true, {}});
  }

  const std::string& file_;
  int documents_ = 0;
  std::vector<Container> stack_;
};

}  // namespace

YAML::Node load_yaml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, 0, 0, "cannot open file (check the path)");
  std::string text(util::kMaxYamlFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > util::kMaxYamlFileBytes) {
    throw ConfigError(path, 0, 0,
                      "the file is larger than " + std::to_string(util::kMaxYamlFileBytes / 1024) +
                          " KiB; configuration and campaign files are much smaller (is it the right file?)");
  }
  return parse_yaml(text, path);
}

YAML::Node parse_yaml(std::string_view text, const std::string& file) {
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    throw ConfigError(file, 1, 1, "the file is UTF-16; save it as UTF-8");
  }
  if (const auto bad = util::first_invalid_utf8(text)) {
    const auto pos = util::position_of_byte(text, *bad);
    throw ConfigError(file, pos.line, pos.column, util::invalid_utf8_message(text, *bad));
  }
  const std::string copy(text);
  try {
    std::istringstream events(copy);
    YAML::Parser parser(events);
    StrictEvents strict(file);
    while (parser.HandleNextDocument(strict)) {
    }
    return YAML::Load(copy);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(file, e.mark.line + 1, e.mark.column + 1, "YAML syntax error: " + e.msg);
  }
}

ConfigError error_at(const std::string& file, const YAML::Node& node, const std::string& message) {
  const YAML::Mark m = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
  if (m.is_null()) return ConfigError(file, 0, 0, message);
  return ConfigError(file, m.line + 1, m.column + 1, message);
}

template <class T>
T scalar_as(const std::string& file, const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) {
    throw error_at(file, node, "'" + key + "' must be " + type_name<T>() + ", got " + describe_node(node));
  }
  try {
    return node.as<T>();
  } catch (const YAML::Exception&) {
    throw error_at(file, node, "'" + key + "' must be " + type_name<T>() + ", got " + describe_node(node));
  }
}

template std::string scalar_as<std::string>(const std::string&, const YAML::Node&, const std::string&);
template int scalar_as<int>(const std::string&, const YAML::Node&, const std::string&);
template long scalar_as<long>(const std::string&, const YAML::Node&, const std::string&);
template double scalar_as<double>(const std::string&, const YAML::Node&, const std::string&);
template bool scalar_as<bool>(const std::string&, const YAML::Node&, const std::string&);

YamlMap::YamlMap(const YAML::Node& node, std::string file, std::string what)
    : node_(node), file_(std::move(file)), what_(std::move(what)) {
  if (!node_.IsMap()) {
    throw error_at(file_, node_, what_ + " must be a mapping of 'key: value' lines, got " + describe_node(node_));
  }
}

bool YamlMap::has(const std::string& key) {
  read_.insert(key);
  const YAML::Node& map = node_;
  const YAML::Node n = map[key];
  return n.IsDefined() && !n.IsNull();
}

YAML::Node YamlMap::node(const std::string& key) {
  read_.insert(key);
  const YAML::Node& map = node_;  // const lookup never inserts a key
  return map[key];
}

std::vector<std::string> YamlMap::string_list(const std::string& key) {
  YAML::Node n = node(key);
  std::vector<std::string> out;
  if (!n.IsDefined() || n.IsNull()) return out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return out;
  }
  if (!n.IsSequence()) {
    throw error_at(file_, n, "'" + key + "' must be a list, like [es, en], got " + describe_node(n));
  }
  for (const auto& item : n) out.push_back(scalar_as<std::string>(file_, item, key));
  return out;
}

ConfigError YamlMap::missing(const std::string& key, const std::string& kind) const {
  // A near miss among the keys present is the likelier mistake: point at it.
  for (const auto& kv : node_) {
    const std::string present = kv.first.Scalar();
    if (present != key && edit_distance(present, key) < 3) {
      return error_at(file_, kv.first,
                      "unknown key '" + util::excerpt(present) + "' in " + what_ + " (did you mean '" + key + "'?)");
    }
  }
  return error_at(file_, node_, "missing required " + kind + " '" + key + "' in " + what_);
}

YamlMap YamlMap::map(const std::string& key) {
  YAML::Node n = node(key);
  if (!n.IsDefined() || n.IsNull()) throw missing(key, "section");
  return YamlMap(n, file_, "'" + key + "'");
}

void YamlMap::finish(const std::vector<std::string>& also_allowed) {
  const std::vector<ConfigError> unknown = unknown_keys(also_allowed);
  if (!unknown.empty()) throw unknown.front();
}

std::vector<ConfigError> YamlMap::unknown_keys(const std::vector<std::string>& also_allowed) const {
  std::vector<ConfigError> out;
  for (const auto& kv : node_) {
    const std::string key = kv.first.Scalar();
    if (read_.count(key) || std::find(also_allowed.begin(), also_allowed.end(), key) != also_allowed.end()) {
      continue;
    }
    std::string best;
    std::size_t best_distance = 3;  // suggest only near misses
    for (const auto& known : read_) {
      const std::size_t d = edit_distance(key, known);
      if (d < best_distance) {
        best_distance = d;
        best = known;
      }
    }
    std::string message = "unknown key '" + util::excerpt(key) + "' in " + what_;
    if (!best.empty()) message += " (did you mean '" + best + "'?)";
    out.push_back(error_at(file_, kv.first, message));
  }
  return out;
}

ConfigError YamlMap::error(const std::string& key, const std::string& message) const {
  const YAML::Node n = node_[key];
  return error_at(file_, n.IsDefined() ? n : node_, message);
}

}  // namespace broadcaster::config
