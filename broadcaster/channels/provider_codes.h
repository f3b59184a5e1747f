// Looking up a provider error code wherever broadcaster meets one (a refused
// send's SendError::provider_code, a delivery receipt's code), so the sender
// and stats can act on it without knowing the provider.
// Design: each provider folder declares its codes (provider.h); this side
// searches them all, which works because codes are unique across providers
// (provider_code.h).
#pragma once

#include <string_view>

#include "channels/provider_code.h"

namespace broadcaster::channels {

/// The code's declaration, or nullptr when no provider declares it.
const ProviderCode* find_code(std::string_view provider_code);

/// True when the code says the recipient has opted out with the provider
/// (Twilio 21610: replied STOP), so the subscriber is stopped here too.
bool is_opt_out_code(std::string_view provider_code);

/// True when the code says the subscriber cannot be reached at this number
/// as it stands (Twilio 30003, 30005, 30006, 30007), so ops see them named
/// and counted apart.
bool is_unreachable_code(std::string_view provider_code);

/// The provider's meaning of the code in a few words ("Message filtered by
/// the carrier"), "" when not known.
std::string_view code_meaning(std::string_view provider_code);

}  // namespace broadcaster::channels
