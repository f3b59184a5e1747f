// Provider error codes that mean something to broadcaster beyond "this send
// failed", so the sender can act on them without knowing any provider.
// Design: SendError::provider_code carries the provider's own code as text;
// this file is the one place that knows which codes mean what. Codes are
// unique across the providers we support today (Twilio's are five digits);
// a provider whose codes could collide gets a prefix when it is added.
#pragma once

#include <string_view>

namespace broadcaster::channels {

/// True when `provider_code` (SendError::provider_code) says the recipient
/// has opted out with the provider (Twilio 21610: replied STOP), so the
/// sender should mark the subscriber stopped rather than try again.
bool is_opt_out_code(std::string_view provider_code);

/// True when a delivery receipt's code says the subscriber cannot be reached
/// at this number as it stands (Twilio 30003 unreachable handset, 30005
/// unknown handset, 30006 landline or unreachable carrier, 30007 carrier
/// filtering), so ops see them named and counted apart.
bool is_unreachable_code(std::string_view provider_code);

/// The provider's meaning of `provider_code` in a few words ("Message
/// filtered by the carrier"), "" when not known here.
std::string_view code_meaning(std::string_view provider_code);

}  // namespace broadcaster::channels
