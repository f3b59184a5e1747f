// The one list of channel types broadcaster knows, and the factory that
// builds a configured channel from its settings.
// Design: an explicit table in registry.cpp, no self-registration from
// static initialisers (a static library drops unreferenced initialisers). A
// new channel is a folder under channels/ plus one line in that table.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "channels/channel.h"

namespace broadcaster::channels {

/// Builds the channel `settings.type` names, configured by `settings`;
/// `env` supplies secrets such as auth tokens. Throws ConfigError, located
/// at settings.source, for an unknown type (listing the known ones) and for
/// whatever the channel rejects in its options.
std::unique_ptr<Channel> make_channel(const ChannelSettings& settings, const EnvLookup& env);

/// The channel types make_channel accepts, sorted ("console", "twilio").
std::vector<std::string> known_channel_types();

}  // namespace broadcaster::channels
