// Fuzz target: Twilio's inbound webhook form (channels/inbound.h
// form_decode_strict, channels/twilio/twilio_inbound.h). The input is the
// POST body; it is signed with the test token, so parsing gets past the
// signature check whenever the form decodes. A message that is accepted
// must be UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>

#include "channels/inbound.h"
#include "channels/twilio/twilio_inbound.h"
#include "channels/twilio/twilio_signature.h"
#include "fuzz/fuzz_check.h"
#include "util/utf8.h"

using namespace broadcaster;

namespace {

constexpr const char* kUrl = "https://sms.example.org/twilio/sms";
constexpr const char* kToken = "fuzz-auth-token-0123456789abcdef";

const channels::TwilioInboundEndpoint& endpoint() {
  static const channels::TwilioInboundEndpoint twilio(
      channels::ProviderSettings{"twilio", "twilio", {{"public_url", kUrl}, {"auth_token_env", "TOKEN"}}, "fuzz", channels::ProviderRole::Inbound},
      [](const std::string&) { return std::optional<std::string>(kToken); });
  return twilio;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  channels::InboundRequest request;
  request.method = "POST";
  request.target = "/twilio/sms";
  request.body.assign(reinterpret_cast<const char*>(data), size);
  if (const auto form = channels::form_decode_strict(request.body)) {
    request.headers.emplace_back("X-Twilio-Signature", channels::twilio_signature(kUrl, *form, kToken));
  }
  const channels::InboundParse parsed = endpoint().parse(request);
  fuzz::require_short(parsed.reason);
  if (parsed.message) {
    fuzz::require(parsed.status == 200, "a message comes with 200");
    fuzz::require(!util::first_invalid_utf8(parsed.message->body), "an accepted body is UTF-8");
  }
  (void)endpoint().reply(parsed.message ? parsed.message->body : std::string());
  return 0;
}
