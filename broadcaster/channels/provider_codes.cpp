// The provider codes the sender acts on.
#include "channels/provider_codes.h"

#include <array>

namespace broadcaster::channels {

namespace {
// Twilio 21610: "Attempt to send to unsubscribed recipient".
constexpr std::array<std::string_view, 1> kOptOutCodes = {"21610"};
}  // namespace

bool is_opt_out_code(std::string_view provider_code) {
  for (std::string_view code : kOptOutCodes) {
    if (code == provider_code) return true;
  }
  return false;
}

}  // namespace broadcaster::channels
