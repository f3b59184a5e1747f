// The provider table.
#include "channels/registry.h"

#include <array>

#include "channels/console/console_provider.h"
#include "channels/kannel/kannel_provider.h"
#include "channels/twilio/twilio_provider.h"

namespace broadcaster::channels {

namespace {

// Every provider, sorted by type. Add one line per provider folder.
const std::array<const Provider*, 3> kProviders = {
    &console_provider(),
    &kannel_provider(),
    &twilio_provider(),
};

template <class Has>
std::vector<std::string> types_where(Has has) {
  std::vector<std::string> out;
  for (const Provider* p : kProviders) {
    if (has(*p)) out.emplace_back(p->type);
  }
  return out;
}

std::string joined(const std::vector<std::string>& types) {
  std::string out;
  for (const auto& type : types) {
    if (!out.empty()) out += ", ";
    out += type;
  }
  return out;
}

// The provider settings.type names when it has the side `has` asks for;
// else a ConfigError listing those that have it.
template <class Has>
const Provider& provider_for(const ProviderSettings& settings, Has has) {
  const std::string known = "known types: " + joined(types_where(has));
  if (settings.type.empty()) throw settings_error(settings, "has no 'type'; " + known);
  const Provider* p = find_provider(settings.type);
  if (p == nullptr) throw settings_error(settings, "unknown type '" + settings.type + "'; " + known);
  if (!has(*p)) {
    throw settings_error(settings, std::string(settings.role == ProviderRole::Inbound
                                                   ? "this provider sends us nothing; "
                                                   : "this provider cannot send; ") +
                                       known);
  }
  return *p;
}

bool can_send(const Provider& p) { return p.make_channel != nullptr; }
bool can_receive(const Provider& p) { return p.make_inbound != nullptr; }

}  // namespace

std::span<const Provider* const> providers() { return kProviders; }

const Provider* find_provider(std::string_view type) {
  for (const Provider* p : kProviders) {
    if (p->type == type) return p;
  }
  return nullptr;
}

std::unique_ptr<Channel> make_channel(const ProviderSettings& settings, const EnvLookup& env) {
  return provider_for(settings, can_send).make_channel(settings, env);
}

std::unique_ptr<InboundEndpoint> make_inbound_endpoint(const ProviderSettings& settings, const EnvLookup& env) {
  return provider_for(settings, can_receive).make_inbound(settings, env);
}

std::vector<std::string> known_channel_types() { return types_where(can_send); }

std::vector<std::string> known_inbound_types() { return types_where(can_receive); }

}  // namespace broadcaster::channels
