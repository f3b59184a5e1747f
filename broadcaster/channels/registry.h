// The one list of providers broadcaster knows, and the factories that build
// a configured channel or inbound endpoint from its settings.
// Design: an explicit table in registry.cpp, one line per provider folder
// (provider.h); no self-registration from static initialisers (a static
// library drops unreferenced initialisers).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "channels/provider.h"

namespace broadcaster::channels {

/// Every provider, sorted by type.
std::span<const Provider* const> providers();

/// The provider `type` names, or nullptr.
const Provider* find_provider(std::string_view type);

/// Builds the channel `settings.type` names, configured by `settings`;
/// `env` supplies secrets such as auth tokens. Throws ConfigError, located
/// at settings.source, for an unknown type or one that cannot send (listing
/// those that can) and for whatever the channel rejects in its options.
std::unique_ptr<Channel> make_channel(const ProviderSettings& settings, const EnvLookup& env);

/// Builds the inbound endpoint `settings.type` names; as make_channel, for
/// the providers that receive.
std::unique_ptr<InboundEndpoint> make_inbound_endpoint(const ProviderSettings& settings, const EnvLookup& env);

/// The types make_channel accepts, sorted ("console", "kannel", "twilio").
std::vector<std::string> known_channel_types();

/// The types make_inbound_endpoint accepts, sorted ("kannel", "twilio").
std::vector<std::string> known_inbound_types();

}  // namespace broadcaster::channels
