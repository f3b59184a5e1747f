// Personal staff tokens: making one, hashing it, and finding whose it is.
// Design: a command that acts for a person (submitting or approving an
// urgent campaign, pausing, cancelling) reads that person's token from the
// environment variable BROADCASTER_STAFF_TOKEN and looks up the staff entry
// whose token_sha256 matches (config/staff.h). A token is 32 bytes from
// OpenSSL's RAND_bytes, written as "bcst_" + base64url, so one that leaks
// into a chat or a log is recognisable. Only its SHA-256 is ever stored;
// digests are compared with CRYPTO_memcmp against every entry, so the time
// taken says nothing about how close a guess came or whose token it is.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "channels/channel.h"
#include "config/config.h"

namespace broadcaster::config {

/// How every staff token starts.
inline constexpr std::string_view kStaffTokenPrefix = "bcst_";

/// The environment variable a command reads the caller's token from.
inline constexpr std::string_view kStaffTokenEnv = "BROADCASTER_STAFF_TOKEN";

/// A fresh token: kStaffTokenPrefix and 43 base64url characters (32 random
/// bytes). Throws Error if OpenSSL's random generator fails.
[[nodiscard]] std::string new_staff_token();

/// SHA-256 of `token` as 64 lowercase hex digits (what `token_sha256` holds).
/// Throws Error if OpenSSL cannot compute it.
[[nodiscard]] std::string token_sha256_hex(std::string_view token);

/// The entry of `staff` whose token_sha256 is the SHA-256 of `token`, or
/// nullptr when none is (or `token` is empty). Compares in constant time.
/// The pointer is into `staff`. Throws Error if OpenSSL cannot hash.
[[nodiscard]] const Staff* authenticate(const std::vector<Staff>& staff, std::string_view token);

/// authenticate against `cfg.staff`; the pointer is into `cfg`.
[[nodiscard]] const Staff* authenticate(const Config& cfg, std::string_view token);

/// The staff member whose token is in BROADCASTER_STAFF_TOKEN (read through
/// `env`). Throws Error saying what to set or add when the variable is unset
/// or empty, when `cfg` names no staff, or when the token matches no one;
/// the message never quotes the token. The reference is into `cfg`.
[[nodiscard]] const Staff& caller_from_environment(const Config& cfg, const channels::EnvLookup& env = process_env);

}  // namespace broadcaster::config
