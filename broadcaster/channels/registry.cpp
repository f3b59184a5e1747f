// The channel table: type name -> constructor.
#include "channels/registry.h"

#include <array>

#include "channels/console/console_channel.h"
#include "channels/kannel/kannel_channel.h"
#include "channels/options.h"
#include "channels/twilio/twilio_channel.h"

namespace broadcaster::channels {

namespace {

using Factory = std::unique_ptr<Channel> (*)(const ChannelSettings&, const EnvLookup&);

struct ChannelType {
  std::string_view type;
  Factory make;
};

// Every channel type, sorted by name. Add one line per new channel.
constexpr std::array<ChannelType, 3> kChannelTypes = {{
    {"console",
     [](const ChannelSettings& s, const EnvLookup&) -> std::unique_ptr<Channel> {
       return std::make_unique<ConsoleChannel>(s);
     }},
    {"kannel",
     [](const ChannelSettings& s, const EnvLookup& env) -> std::unique_ptr<Channel> {
       return std::make_unique<KannelChannel>(s, env);
     }},
    {"twilio",
     [](const ChannelSettings& s, const EnvLookup& env) -> std::unique_ptr<Channel> {
       return std::make_unique<TwilioChannel>(s, env);
     }},
}};

std::string joined_types() {
  std::string out;
  for (const auto& entry : kChannelTypes) {
    if (!out.empty()) out += ", ";
    out += entry.type;
  }
  return out;
}

}  // namespace

std::unique_ptr<Channel> make_channel(const ChannelSettings& settings, const EnvLookup& env) {
  if (settings.type.empty()) {
    throw channel_config_error(settings, "has no 'type'; known types: " + joined_types());
  }
  for (const auto& entry : kChannelTypes) {
    if (entry.type == settings.type) return entry.make(settings, env);
  }
  throw channel_config_error(settings, "unknown type '" + settings.type + "'; known types: " + joined_types());
}

std::vector<std::string> known_channel_types() {
  std::vector<std::string> out;
  out.reserve(kChannelTypes.size());
  for (const auto& entry : kChannelTypes) out.emplace_back(entry.type);
  return out;
}

}  // namespace broadcaster::channels
