// Reading the `staff:` and `approval:` sections.
#include "config/staff.h"

#include <map>

#include "config/staff_token.h"
#include "config/yaml_reader.h"
#include "util/excerpt.h"

namespace broadcaster::config {

namespace {

std::string position(const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  return std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

int hex_value(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

/// The digest written as 64 hex digits, or nullopt.
std::optional<std::array<unsigned char, kTokenDigestBytes>> parse_digest(std::string_view hex) {
  if (hex.size() != 2 * kTokenDigestBytes) return std::nullopt;
  std::array<unsigned char, kTokenDigestBytes> out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return out;
}

Staff read_one(const YAML::Node& node, const std::string& file) {
  YamlMap map(node, file, "a staff entry");
  if (map.node("token").IsDefined()) {
    YAML::Node at;  // the value, or the key when the value is empty
    for (const auto& kv : node) {
      if (kv.first.Scalar() == "token") at = kv.second.IsNull() ? kv.first : kv.second;
    }
    throw error_at(file, at,
                   "do not put a staff token in the file: give its SHA-256 as 'token_sha256' "
                   "(`broadcaster staff token NAME` prints a new token and the line to paste)");
  }
  Staff s;
  const YAML::Node name = map.node("name");
  s.name = map.required<std::string>("name");
  if (const auto problem = staff_name_problem(s.name)) throw error_at(file, name, *problem);
  const YAML::Node hash = map.node("token_sha256");
  const std::string hex = map.required<std::string>("token_sha256");
  if (hex.starts_with(kStaffTokenPrefix)) {
    throw error_at(file, hash,
                   "'token_sha256' holds a token, not its hash: remove it from the file now, and paste the "
                   "token_sha256 line that `broadcaster staff token NAME` printed (or make a new token)");
  }
  const auto digest = parse_digest(hex);
  if (!digest) {
    throw error_at(
        file, hash,
        "'token_sha256' must be 64 hex digits (the SHA-256 of the person's token), got '" + util::excerpt(hex) + "'");
  }
  s.token_sha256 = ascii_lower(hex);
  s.token_digest = *digest;
  s.source = file + ":" + position(node);
  map.finish();
  return s;
}

}  // namespace

std::optional<std::string> staff_name_problem(std::string_view name) {
  if (name.empty()) return "a staff name must not be empty";
  if (name.size() > kMaxStaffNameBytes) {
    return "a staff name has at most " + std::to_string(kMaxStaffNameBytes) + " bytes";
  }
  if (name.front() == ' ' || name.back() == ' ') return "a staff name must not start or end with a space";
  for (const char ch : name) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f) return "a staff name must not hold control characters (tabs, line breaks)";
  }
  return std::nullopt;
}

std::vector<Staff> read_staff(const YAML::Node& node, const std::string& file) {
  if (!node.IsSequence()) {
    throw error_at(file, node, "'staff' must be a list of entries like '- {name: Ana Ruiz, token_sha256: ...}'");
  }
  std::vector<Staff> out;
  std::map<std::string, std::string> names;   // lower-cased name -> where first given
  std::map<std::string, std::string> hashes;  // hex -> where first given
  for (const auto& entry : node) {
    Staff s = read_one(entry, file);
    const YAML::Node& map = entry;
    if (const auto [it, fresh] = names.emplace(ascii_lower(s.name), position(map["name"])); !fresh) {
      throw error_at(file, map["name"],
                     "staff name '" + util::excerpt(s.name) + "' given twice (first at " + it->second +
                         "): names must differ, since the audit log tells people apart by name");
    }
    if (const auto [it, fresh] = hashes.emplace(s.token_sha256, position(map["token_sha256"])); !fresh) {
      throw error_at(file, map["token_sha256"],
                     "this token_sha256 is given twice (first at " + it->second +
                         "): each person needs their own token (`broadcaster staff token NAME`)");
    }
    out.push_back(std::move(s));
  }
  return out;
}

ApprovalConfig read_approval(YamlMap map) {
  ApprovalConfig a;
  a.urgent_needs_second_person = map.optional<bool>("urgent_needs_second_person", a.urgent_needs_second_person);
  map.finish();
  return a;
}

}  // namespace broadcaster::config
