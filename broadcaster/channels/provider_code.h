// What one of a provider's error codes means to broadcaster. Each provider
// folder declares its own codes (<provider>/<provider>_provider.cpp); the
// registry finds a code's meaning wherever broadcaster meets one (a refused
// send, a delivery receipt) without knowing which provider it came from.
// Design: codes are unique across providers: Twilio's are five digits, and a
// provider whose codes could collide prefixes them ("kannel-16").
#pragma once

#include <string_view>

namespace broadcaster::channels {

/// What broadcaster does about a code.
enum class CodeKind {
  Retryable,      ///< may pass later: try again
  Throttled,      ///< the provider wants us slower: try again later
  Permanent,      ///< this message will not pass: do not try again
  Stopped,        ///< the subscriber opted out with the provider: stop them here too
  Unreachable,    ///< the number cannot get texts as it stands: counted and named apart
  Configuration,  ///< our account or sender is misconfigured: ops must act
};

/// "retryable", "throttled", "permanent", "stopped", "unreachable",
/// "configuration": the word stats and JSON use.
std::string_view to_string(CodeKind kind);

/// One error code of one provider.
struct ProviderCode {
  std::string_view code;     ///< as the provider writes it ("30007")
  CodeKind kind;
  std::string_view meaning;  ///< in a few words, for ops ("Message filtered by the carrier")
};

}  // namespace broadcaster::channels
