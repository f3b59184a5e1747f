// Kannel's declaration: SMS, factories and the codes of its delivery reports.
#include "channels/kannel/kannel_provider.h"

#include <array>

#include "channels/kannel/kannel_channel.h"
#include "channels/kannel/kannel_inbound.h"

namespace broadcaster::channels {

namespace {

// The codes kannel_inbound.cpp gives a DLR that carries no SMSC error code
// of its own (an SMSC's "err:NNN" becomes "smsc-NNN", whose meaning only
// that SMSC's documentation gives), and the one kannel_channel.cpp gives a
// send refused for its credentials.
constexpr std::array<ProviderCode, 3> kKannelCodes = {{
    {"kannel-16", CodeKind::Permanent, "Rejected by the SMSC (Kannel DLR 16)"},
    {"kannel-2", CodeKind::Permanent, "Not delivered to the phone (Kannel DLR 2)"},
    {kKannelAuthCode, CodeKind::Configuration, "Kannel refused the sendsms username or password"},
}};

}  // namespace

const Provider& kannel_provider() {
  static const Provider provider{
      "kannel",
      Medium::sms(),  // GSM-7 or UCS-2, billed per segment
      [](const ProviderSettings& s, const EnvLookup& env) -> std::unique_ptr<Channel> {
        return std::make_unique<KannelChannel>(s, env);
      },
      [](const ProviderSettings& s, const EnvLookup& env) -> std::unique_ptr<InboundEndpoint> {
        return std::make_unique<KannelInboundEndpoint>(s, env);
      },
      kKannelCodes,
  };
  return provider;
}

}  // namespace broadcaster::channels
