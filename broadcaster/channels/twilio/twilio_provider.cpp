// Twilio's declaration: SMS, factories and error codes.
#include "channels/twilio/twilio_provider.h"

#include <array>

#include "channels/twilio/twilio_channel.h"
#include "channels/twilio/twilio_inbound.h"

namespace broadcaster::channels {

namespace {

// Twilio's error dictionary (twilio.com/docs/api/errors/<code>): the codes a
// refused send or a status callback carries most often. 20429 and 30001 are
// Twilio asking us to slow down. The "configuration" ones fail every message
// until ops fix the account, the sender or its registration, so a send
// refused with one pauses the campaign (sender.h); 21408 is not among them,
// as it concerns one destination's region, not the whole audience.
constexpr std::array<ProviderCode, 22> kTwilioCodes = {{
    {"20003", CodeKind::Configuration, "Authentication failed (Account SID or auth token)"},
    {"20404", CodeKind::Configuration, "Resource not found (wrong Account SID?)"},
    {"20429", CodeKind::Throttled, "Too many concurrent requests to Twilio's API"},
    {"21211", CodeKind::Permanent, "Invalid 'To' phone number"},
    {"21408", CodeKind::Permanent, "Permission to send to this region not enabled"},
    {"21602", CodeKind::Permanent, "Message body is required"},
    {"21606", CodeKind::Configuration, "'From' is not a message-capable number of this account"},
    {"21610", CodeKind::Stopped, "Recipient replied STOP (unsubscribed with the carrier)"},
    {"21612", CodeKind::Permanent, "Cannot route from this sender to this 'To' number"},
    {"21614", CodeKind::Unreachable, "'To' is not a mobile number"},
    {"21617", CodeKind::Permanent, "Message body exceeds the 1600-character limit"},
    {"21659", CodeKind::Configuration, "'From' is not a Twilio number (or short code country mismatch)"},
    {"30001", CodeKind::Throttled, "Queue overflow at the provider"},
    {"30002", CodeKind::Configuration, "Account suspended"},
    {"30003", CodeKind::Unreachable, "Unreachable destination handset"},
    {"30004", CodeKind::Permanent, "Message blocked (by the recipient or their carrier)"},
    {"30005", CodeKind::Unreachable, "Unknown destination handset"},
    {"30006", CodeKind::Unreachable, "Landline or unreachable carrier"},
    {"30007", CodeKind::Unreachable, "Message filtered by the carrier"},
    {"30008", CodeKind::Permanent, "Unknown error from the carrier"},
    {"30032", CodeKind::Configuration, "Toll-free number not verified"},
    {"30034", CodeKind::Configuration, "Message from an unregistered number (A2P 10DLC)"},
}};

}  // namespace

const Provider& twilio_provider() {
  static const Provider provider{
      "twilio",
      Medium::sms(),  // GSM-7 or UCS-2, billed per segment
      [](const ProviderSettings& s, const EnvLookup& env) -> std::unique_ptr<Channel> {
        return std::make_unique<TwilioChannel>(s, env);
      },
      [](const ProviderSettings& s, const EnvLookup& env) -> std::unique_ptr<InboundEndpoint> {
        return std::make_unique<TwilioInboundEndpoint>(s, env);
      },
      kTwilioCodes,
  };
  return provider;
}

}  // namespace broadcaster::channels
