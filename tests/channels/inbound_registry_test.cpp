// The inbound registry: which types it builds, and how it words a config
// mistake (located in broadcaster.yaml, naming the inbound endpoint).
#include "channels/inbound_registry.h"

#include <catch2/catch.hpp>

namespace broadcaster::channels {
namespace {

EnvLookup env() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (name == "TWILIO_AUTH_TOKEN") return std::string("fake-auth-token-5f2b9c0d7e1a4b3c");
    if (name == "KANNEL_SECRET") return std::string("kannel-secret-9d41c7e2b6a85f30");
    return std::nullopt;
  };
}

InboundSettings settings(std::string name, std::string type,
                         std::map<std::string, std::string> options) {
  return InboundSettings{std::move(name), std::move(type), std::move(options),
                         "config/broadcaster.yaml:30:5"};
}

std::string config_error(const InboundSettings& s) {
  try {
    make_inbound_endpoint(s, env());
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("inbound registry: known types", "[channels][inbound][registry]") {
  CHECK(known_inbound_types() == std::vector<std::string>{"kannel", "twilio"});

  const auto twilio =
      make_inbound_endpoint(settings("sms-in", "twilio",
                                     {{"public_url", "https://sms.example.org/twilio/sms"},
                                      {"auth_token_env", "TWILIO_AUTH_TOKEN"}}),
                            env());
  CHECK(twilio->name() == "sms-in");
  CHECK(twilio->path() == "/twilio/sms");

  const auto kannel =
      make_inbound_endpoint(settings("modem", "kannel", {{"secret_env", "KANNEL_SECRET"}}), env());
  CHECK(kannel->name() == "modem");
  CHECK(kannel->path() == "/kannel/mo");
}

TEST_CASE("inbound registry: mistakes", "[channels][inbound][registry]") {
  CHECK(config_error(settings("sms-in", "twillio", {})) ==
        "config/broadcaster.yaml:30:5: inbound endpoint 'sms-in' (twillio): unknown type "
        "'twillio'; known types: kannel, twilio");
  CHECK(config_error(settings("sms-in", "", {})) ==
        "config/broadcaster.yaml:30:5: inbound endpoint 'sms-in': has no 'type'; known types: "
        "kannel, twilio");
  CHECK(config_error(
            settings("modem", "kannel", {{"secret_env", "KANNEL_SECRET"}, {"secret_envv", "X"}})) ==
        "config/broadcaster.yaml:30:5: inbound endpoint 'modem' (kannel): unknown option "
        "'secret_envv' (did you mean 'secret_env'?)");
}

}  // namespace broadcaster::channels
