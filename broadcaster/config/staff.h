// The people who act through broadcaster: the `staff:` section of
// broadcaster.yaml, and the `approval:` rule that applies to their urgent
// campaigns.
// Design: there is no shared "admin". Each person is named once with the
// SHA-256 of a personal token (config/staff_token.h makes and checks
// tokens); the file never holds a token itself, so it can be read, copied
// and kept in version control like the rest of the configuration. Names are
// what the audit log and a campaign's record show, so they are unique
// (compared without regard to ASCII case), as are the hashes.
#pragma once

#include <yaml-cpp/yaml.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace broadcaster::config {

class YamlMap;

/// Bytes in a SHA-256 digest.
inline constexpr std::size_t kTokenDigestBytes = 32;

/// Longest staff name, in bytes.
inline constexpr std::size_t kMaxStaffNameBytes = 100;

/// One person named under `staff:`.
struct Staff {
  std::string name;  ///< as written; shown in the audit log and campaign records
  /// SHA-256 of the person's token, as written (64 lowercase hex digits).
  std::string token_sha256;
  /// The same digest as bytes, for comparison.
  std::array<unsigned char, kTokenDigestBytes> token_digest{};
  std::string source;  ///< "file:line:column" of the entry, for messages
};

/// `approval:`: what an urgent campaign needs before it is sent.
struct ApprovalConfig {
  /// An urgent campaign goes out only after a second staff member, not its
  /// author, approves it (`urgent_needs_second_person`, default true);
  /// false waives the rule for the whole organization.
  bool urgent_needs_second_person = true;
};

/// Why `name` cannot name a staff member: empty, longer than
/// kMaxStaffNameBytes, leading or trailing spaces, or holding a control
/// character; nullopt when it can. Text read from YAML is valid UTF-8 already.
[[nodiscard]] std::optional<std::string> staff_name_problem(std::string_view name);

/// Reads the `staff:` list (`node`, from `file`): each entry a mapping with
/// `name` and `token_sha256`. Throws ConfigError at the offending value for
/// a clear-text `token` (refused like every other secret), a hash that is
/// not 64 hex digits, a bad name, and a name or hash given twice (naming
/// where it was first).
[[nodiscard]] std::vector<Staff> read_staff(const YAML::Node& node, const std::string& file);

/// Reads `approval:`. Throws ConfigError at an unknown key or a value that
/// is not true or false.
[[nodiscard]] ApprovalConfig read_approval(YamlMap map);

}  // namespace broadcaster::config
