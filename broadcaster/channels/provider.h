// Everything broadcaster knows about one provider, declared by its folder:
// what kind of message it carries (SMS or plain text, medium.h), how to
// build its sending channel, how to build its receiving endpoint (texts and
// delivery receipts), and what its error codes mean. The channel
// itself says how to ask about an in-doubt message (channel.h), and each
// constructor reads and checks that side's options (options.h).
// Design: plain data with function pointers, declared in
// channels/<provider>/<provider>_provider.cpp and listed by registry.cpp, so
// a new provider is one folder plus one line; nothing self-registers (a
// static library drops unreferenced initialisers).
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "channels/channel.h"
#include "channels/inbound.h"
#include "channels/medium.h"
#include "channels/provider_code.h"
#include "channels/provider_settings.h"

namespace broadcaster::channels {

struct Provider {
  /// The `type:` that selects it in broadcaster.yaml ("twilio").
  std::string_view type;
  /// What its messages are: SMS (encoding, segments) or plain text (a
  /// character limit or none). Required: Medium has no default.
  Medium medium;
  /// Builds a sending channel from `channels.<name>`; nullptr when the
  /// provider cannot send. Throws ConfigError for bad options.
  std::unique_ptr<Channel> (*make_channel)(const ProviderSettings&, const EnvLookup&) = nullptr;
  /// Builds a webhook endpoint from `inbound.endpoints.<name>`; nullptr
  /// when the provider sends us nothing. Throws ConfigError for bad options.
  std::unique_ptr<InboundEndpoint> (*make_inbound)(const ProviderSettings&, const EnvLookup&) = nullptr;
  /// The provider's error codes that broadcaster knows.
  std::span<const ProviderCode> codes = {};
};

}  // namespace broadcaster::channels
