// The provider codes the sender acts on.
#include "channels/provider_codes.h"

#include <array>

namespace broadcaster::channels {

namespace {
// Twilio 21610: "Attempt to send to unsubscribed recipient".
constexpr std::array<std::string_view, 1> kOptOutCodes = {"21610"};
}  // namespace

namespace {
struct CodeMeaning {
  std::string_view code;
  std::string_view meaning;
  bool unreachable;
};
// Twilio's error dictionary (twilio.com/docs/api/errors/<code>): the codes a
// status callback or a refused send carries most often.
constexpr std::array<CodeMeaning, 14> kMeanings = {{
    {"21211", "Invalid 'To' phone number", false},
    {"21408", "Permission to send to this region not enabled", false},
    {"21610", "Recipient replied STOP (unsubscribed with the carrier)", false},
    {"21614", "'To' is not a mobile number", true},
    {"30001", "Queue overflow at the provider", false},
    {"30002", "Account suspended", false},
    {"30003", "Unreachable destination handset", true},
    {"30004", "Message blocked (by the recipient or their carrier)", false},
    {"30005", "Unknown destination handset", true},
    {"30006", "Landline or unreachable carrier", true},
    {"30007", "Message filtered by the carrier", true},
    {"30008", "Unknown error from the carrier", false},
    {"30032", "Toll-free number not verified", false},
    {"30034", "Message from an unregistered number (A2P 10DLC)", false},
}};
}  // namespace

bool is_unreachable_code(std::string_view provider_code) {
  for (const auto& m : kMeanings) {
    if (m.code == provider_code) return m.unreachable;
  }
  return false;
}

std::string_view code_meaning(std::string_view provider_code) {
  for (const auto& m : kMeanings) {
    if (m.code == provider_code) return m.meaning;
  }
  return {};
}

bool is_opt_out_code(std::string_view provider_code) {
  for (std::string_view code : kOptOutCodes) {
    if (code == provider_code) return true;
  }
  return false;
}

}  // namespace broadcaster::channels
