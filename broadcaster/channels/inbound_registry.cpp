// The inbound endpoint table (type name -> constructor) and option reading
// worded for inbound endpoints.
#include "channels/inbound_registry.h"

#include <array>

#include "channels/kannel/kannel_inbound.h"
#include "channels/twilio/twilio_inbound.h"

namespace broadcaster::channels {

namespace {

using Factory = std::unique_ptr<InboundEndpoint> (*)(const InboundSettings&, const EnvLookup&);

struct InboundType {
  std::string_view type;
  Factory make;
};

// Every inbound endpoint type, sorted by name. Add one line per new type.
constexpr std::array<InboundType, 2> kInboundTypes = {{
    {"kannel",
     [](const InboundSettings& s, const EnvLookup& env) -> std::unique_ptr<InboundEndpoint> {
       return std::make_unique<KannelInboundEndpoint>(s, env);
     }},
    {"twilio",
     [](const InboundSettings& s, const EnvLookup& env) -> std::unique_ptr<InboundEndpoint> {
       return std::make_unique<TwilioInboundEndpoint>(s, env);
     }},
}};

std::string joined_types() {
  std::string out;
  for (const auto& entry : kInboundTypes) {
    if (!out.empty()) out += ", ";
    out += entry.type;
  }
  return out;
}

}  // namespace

std::unique_ptr<InboundEndpoint> make_inbound_endpoint(const InboundSettings& settings,
                                                       const EnvLookup& env) {
  if (settings.type.empty()) {
    throw inbound_config_error(settings, "has no 'type'; known types: " + joined_types());
  }
  for (const auto& entry : kInboundTypes) {
    if (entry.type == settings.type) return entry.make(settings, env);
  }
  throw inbound_config_error(
      settings, "unknown type '" + settings.type + "'; known types: " + joined_types());
}

std::vector<std::string> known_inbound_types() {
  std::vector<std::string> out;
  out.reserve(kInboundTypes.size());
  for (const auto& entry : kInboundTypes) out.emplace_back(entry.type);
  return out;
}

ConfigError inbound_config_error(const InboundSettings& settings, std::string_view message) {
  // channel_config_error knows how to split "file:line:col"; only its
  // position is used here.
  const ConfigError located =
      channel_config_error(ChannelSettings{settings.name, "", {}, settings.source}, "");
  std::string text = "inbound endpoint '" + settings.name + "'";
  if (!settings.type.empty()) text += " (" + settings.type + ")";
  text += ": ";
  text += message;
  return ConfigError(located.file(), located.line(), located.column(), std::move(text));
}

// ---------------------------------------------------------------------------
// InboundOptionReader
// ---------------------------------------------------------------------------

InboundOptionReader::InboundOptionReader(const InboundSettings& settings)
    : settings_(settings),
      channel_{settings.name, settings.type, settings.options, settings.source},
      reader_(channel_) {}

// Runs an OptionReader call, rewording its ConfigError for this endpoint:
// OptionReader's messages start with "channel 'name' (type): ".
template <class F>
auto InboundOptionReader::translated(F&& f) const -> decltype(f()) {
  try {
    return f();
  } catch (const ConfigError& e) {
    std::string message = e.message();
    std::string prefix = "channel '" + channel_.name + "'";
    if (!channel_.type.empty()) prefix += " (" + channel_.type + ")";
    prefix += ": ";
    if (message.starts_with(prefix)) message.erase(0, prefix.size());
    throw inbound_config_error(settings_, message);
  }
}

std::optional<std::string> InboundOptionReader::optional(std::string_view key) {
  return translated([&] { return reader_.optional(key); });
}

std::string InboundOptionReader::value_or(std::string_view key, std::string_view fallback) {
  return translated([&] { return reader_.value_or(key, fallback); });
}

std::string InboundOptionReader::required(std::string_view key, std::string_view hint) {
  return translated([&] { return reader_.required(key, hint); });
}

bool InboundOptionReader::has(std::string_view key) const { return reader_.has(key); }

void InboundOptionReader::fail(std::string_view key, std::string_view message) const {
  throw inbound_config_error(settings_,
                             "option '" + std::string(key) + "' " + std::string(message));
}

void InboundOptionReader::finish() const {
  translated([&] { reader_.finish(); });
}

std::string InboundOptionReader::secret_from_env(std::string_view env_key,
                                                 const std::string& variable, std::string_view what,
                                                 const EnvLookup& env) const {
  const auto value = env(variable);
  if (!value || value->empty()) {
    throw inbound_config_error(
        settings_, "environment variable " + variable + (value ? " is empty" : " is not set") +
                       "; export it with " + std::string(what) + " (option " +
                       std::string(env_key) + " names the variable to read)");
  }
  return *value;
}

void InboundOptionReader::refuse_inline_secret(std::string_view key,
                                               std::string_view env_key) const {
  if (!has(key)) return;
  fail(key,
       "must not be written in the config file: secrets stay out of YAML. Remove it (and "
       "rotate the secret if the file was shared), then put it in an environment variable "
       "named by option " +
           std::string(env_key));
}

}  // namespace broadcaster::channels
