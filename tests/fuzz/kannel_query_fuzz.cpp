// Fuzz target: Kannel smsbox MO requests (channels/kannel/kannel_inbound.h).
// The input's first line is the query string (after the shared secret);
// anything after the first newline is a POST body, whose own first line is
// its Content-Type. An accepted message must be UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "channels/inbound.h"
#include "channels/kannel/kannel_inbound.h"
#include "fuzz/fuzz_check.h"
#include "util/utf8.h"

using namespace broadcaster;

namespace {

constexpr const char* kSecret = "fuzz-secret-0123456789abcdef";

const channels::KannelInboundEndpoint& endpoint() {
  static const channels::KannelInboundEndpoint kannel(
      channels::ProviderSettings{"kannel", "kannel", {{"secret_env", "SECRET"}}, "fuzz", channels::ProviderRole::Inbound},
      [](const std::string&) { return std::optional<std::string>(kSecret); });
  return kannel;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  channels::InboundRequest request;
  request.method = newline == std::string_view::npos ? "GET" : "POST";
  request.target = "/kannel/mo?secret=" + std::string(kSecret) + "&" + std::string(input.substr(0, newline));
  if (newline != std::string_view::npos) {
    const std::string_view rest = input.substr(newline + 1);
    const auto end = rest.find('\n');
    request.headers.emplace_back("Content-Type", std::string(rest.substr(0, end)));
    if (end != std::string_view::npos) request.body = std::string(rest.substr(end + 1));
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
