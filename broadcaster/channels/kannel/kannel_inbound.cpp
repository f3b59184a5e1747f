// Kannel smsbox MO requests (get-url / post-url): secret check, field and
// charset handling, and the plain-text reply.
#include "channels/kannel/kannel_inbound.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iterator>

#include "channels/options.h"
#include "templates/sms_encoding.h"
#include "util/excerpt.h"
#include "util/phone.h"

namespace broadcaster::channels {

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kDefaultPath = "/kannel/mo";
constexpr std::string_view kDefaultDlrPath = "/kannel/dlr";
constexpr std::size_t kMaxCampaignLength = 128;
constexpr std::size_t kMaxAddressLength = 64;  // numbers and alphanumeric sender ids
constexpr std::size_t kMaxIdLength = 64;       // Kannel's %I is a 36-character UUID

InboundParse refuse(int status, std::string reason) { return InboundParse{status, std::nullopt, std::move(reason)}; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_utf8(std::string_view text) {
  try {
    templates::check_utf8(text);
    return true;
  } catch (const templates::InvalidUtf8Error&) {
    return false;  // the caller decides: another charset, or a 400
  }
}

// UTF-16BE (UCS-2 as SMS carries it, surrogate pairs allowed) to UTF-8;
// nullopt for an odd length or an unpaired surrogate.
std::optional<std::string> utf16be_to_utf8(std::string_view bytes) {
  if (bytes.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(bytes.size() * 3 / 2);
  const auto unit = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]) << 8 |
                                      static_cast<unsigned char>(bytes[i + 1]));
  };
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    std::uint32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 3 >= bytes.size()) return std::nullopt;
      const std::uint32_t low = unit(i + 2);
      if (low < 0xDC00 || low > 0xDFFF) return std::nullopt;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return std::nullopt;
    }
    append_utf8(out, cp);
  }
  return out;
}

std::string latin1_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) append_utf8(out, static_cast<unsigned char>(c));
  return out;
}

// The charset parameter of a Content-Type value ("text/plain;
// charset="UTF-16BE"" -> "utf-16be"), lowercased, quotes removed.
std::string content_type_charset(std::string_view content_type) {
  const std::string lowered = lower(content_type);
  const auto at = lowered.find("charset=");
  if (at == std::string::npos) return {};
  std::string_view value = std::string_view(lowered).substr(at + 8);
  value = value.substr(0, value.find(';'));
  value = trim(value);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return std::string(value);
}

// Converts the text as Kannel sent it to UTF-8. `charset` is lowercased
// ("" when Kannel named none); `coding` is Kannel's 0/1/2 ("" when absent).
// Sets `reason` and returns nullopt when the text cannot be read.
std::optional<std::string> decode_text(std::string_view raw, const std::string& charset, const std::string& coding,
                                       std::string& reason) {
  if (charset == "utf-16be" || charset == "ucs-2" || charset == "ucs2" || charset == "utf-16" ||
      (charset.empty() && coding == "2")) {
    auto text = utf16be_to_utf8(raw);
    if (!text) reason = "text is not valid UTF-16BE";
    return text;
  }
  if (charset == "iso-8859-1" || charset == "latin1" || charset == "iso8859-1") {
    return latin1_to_utf8(raw);
  }
  if (charset.empty() && coding == "1") {
    reason = "8-bit binary messages are not supported";
    return std::nullopt;
  }
  if (charset == "utf-8" || charset == "utf8" || charset.empty()) {
    if (is_utf8(raw)) return std::string(raw);
    if (charset.empty()) return latin1_to_utf8(raw);  // older smsbox: Latin-1 internally
    reason = "text is not valid UTF-8";
    return std::nullopt;
  }
  reason = "unsupported charset (use mo-recode = true, or charset=%C in the URL)";
  return std::nullopt;
}

// A sender or receiver as Kannel wrote it: non-empty, short, printable.
bool is_address(std::string_view value) {
  if (value.empty() || value.size() > kMaxAddressLength || !is_utf8(value)) return false;
  return std::none_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

bool is_id(std::string_view value) {
  if (value.empty() || value.size() > kMaxIdLength) return false;
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

// Reads field `name` of the query, falling back to `header`. Sets `reason`
// (and returns nullopt) when the field is repeated.
std::optional<std::string> query_or_header(const Fields& query, std::string_view name, const InboundRequest& request,
                                           std::string_view header, std::string& reason) {
  bool repeated = false;
  auto value = single_field(query, name, repeated);
  if (repeated) {
    reason = "field " + std::string(name) + " is given more than once";
    return std::nullopt;
  }
  if (!value && !header.empty()) {
    if (const auto from_header = request.header(header)) value = std::string(trim(*from_header));
  }
  return value;
}

// A DLR type (%d) as a state and the status word recorded with it.
struct DlrType {
  std::string_view code;
  DeliveryState state;
  std::string_view status;
};
constexpr DlrType kDlrTypes[] = {
    {"1", DeliveryState::Delivered, "delivered"},   {"2", DeliveryState::Undelivered, "undelivered"},
    {"4", DeliveryState::Sent, "buffered"},         {"8", DeliveryState::Sent, "smsc-accepted"},
    {"16", DeliveryState::Failed, "smsc-rejected"},
};

// The SMSC's error code in an SMPP receipt text ("... stat:UNDELIV err:034
// text:..."): "smsc-034", or "" when there is none or it is 000. Prefixed
// because its meaning is the SMSC's own and its digits could be any
// provider's code (provider_code.h).
std::string smpp_error_code(std::string_view answer) {
  const auto at = answer.find("err:");
  if (at == std::string_view::npos) return {};
  std::string code;
  for (std::size_t i = at + 4; i < answer.size() && code.size() < 8; ++i) {
    if (!std::isalnum(static_cast<unsigned char>(answer[i]))) break;
    code += answer[i];
  }
  if (code.empty() || code.find_first_not_of('0') == std::string::npos) return {};
  return "smsc-" + code;
}

}  // namespace

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------

KannelInboundEndpoint::KannelInboundEndpoint(const ProviderSettings& settings, const EnvLookup& env)
    : name_(settings.name) {
  OptionReader options(settings);
  // Checked first: never let a secret from YAML reach any other message.
  options.refuse_inline_secret("secret", "secret_env");
  path_ = options.value_or("path", kDefaultPath);
  dlr_path_ = options.value_or("dlr_path", kDefaultDlrPath);
  const std::string secret_env = options.required("secret_env",
                                                  "the name of the environment variable holding the shared secret that "
                                                  "Kannel's get-url/post-url carries as secret=...");
  options.finish();

  if (!path_.starts_with('/') || path_.find_first_of("?# ") != std::string::npos) {
    options.fail("path",
                 "must be a local path starting with '/', without '?' or '#', got '" + util::excerpt(path_) + "'");
  }
  if (!dlr_path_.starts_with('/') || dlr_path_.find_first_of("?# ") != std::string::npos) {
    options.fail("dlr_path",
                 "must be a local path starting with '/', without '?' or '#', got '" + util::excerpt(dlr_path_) + "'");
  }
  if (dlr_path_ == path_)
    options.fail("dlr_path", "must differ from option path (texts and reports are told apart by path)");
  secret_ = options.secret_from_env("secret_env", secret_env, "the shared secret", env);
  if (secret_.size() < 16) {
    spdlog::warn(
        "inbound endpoint '{}': the secret in {} has only {} characters; use at least 16 "
        "random ones (e.g. openssl rand -hex 16)",
        name_, secret_env, secret_.size());
  }
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

InboundParse KannelInboundEndpoint::parse(const InboundRequest& request) const {
  if (request.path() == dlr_path_) return parse_dlr(request);
  const bool post = request.method == "POST";
  if (!post && request.method != "GET") {
    return refuse(405, "method not allowed: Kannel get-url uses GET, post-url POST");
  }
  const auto query = form_decode_strict(request.query().value_or(""));
  if (!query) return refuse(400, "query is not a valid urlencoded form");

  // The secret, before any field is believed.
  bool repeated = false;
  const auto secret = single_field(*query, "secret", repeated);
  if (!secret || secret->empty()) {
    return refuse(403, "missing secret (add secret=... to Kannel's get-url or post-url)");
  }
  if (repeated) return refuse(403, "secret is given more than once");
  if (!secrets_equal(*secret, secret_)) return refuse(403, "wrong secret");

  std::string reason;
  auto from = query_or_header(*query, "from", request, "X-Kannel-From", reason);
  if (!reason.empty()) return refuse(400, reason);
  if (!from || from->empty()) {
    return refuse(400, "missing sender: add from=%p to the URL (or send-sender = true)");
  }
  auto to = query_or_header(*query, "to", request, "X-Kannel-To", reason);
  if (!reason.empty()) return refuse(400, reason);
  if (!to || to->empty()) return refuse(400, "missing receiver: add to=%P to the URL");
  if (!is_address(*from) || !is_address(*to)) return refuse(400, "malformed sender or receiver");

  const auto time = query_or_header(*query, "time", request, "X-Kannel-Time", reason);
  if (!reason.empty()) return refuse(400, reason);
  const auto coding = query_or_header(*query, "coding", request, "X-Kannel-Coding", reason);
  if (!reason.empty()) return refuse(400, reason);
  const auto charset_field = query_or_header(*query, "charset", request, "", reason);
  if (!reason.empty()) return refuse(400, reason);
  const auto id = query_or_header(*query, "id", request, "", reason);
  if (!reason.empty()) return refuse(400, reason);
  if (id && !id->empty() && !is_id(*id)) return refuse(400, "malformed id");

  std::string raw;
  std::string charset;
  if (post) {
    raw = request.body;
    const std::string content_type = request.header("Content-Type").value_or("");
    charset = content_type_charset(content_type);
    if (charset.empty() && lower(content_type).starts_with("application/octet-stream") && coding.value_or("") != "2") {
      // Old smsbox versions sent UCS-2 as octet-stream with coding 2.
      return refuse(400, "8-bit binary messages are not supported");
    }
  } else {
    const auto text = query_or_header(*query, "text", request, "", reason);
    if (!reason.empty()) return refuse(400, reason);
    if (!text) return refuse(400, "missing text: add text=%b to get-url");
    raw = *text;
  }
  if (charset.empty() && charset_field) charset = lower(trim(*charset_field));
  auto body = decode_text(raw, charset, std::string(trim(coding.value_or(""))), reason);
  if (!body) return refuse(400, reason);

  std::string provider_id;
  if (id && !id->empty()) {
    provider_id = *id;
  } else {
    // Stable across Kannel's retries of the same message.
    const std::string key = *from + '\x1f' + *to + '\x1f' + time.value_or("") + '\x1f' + *body;
    try {
      provider_id = "kannel-" + sha256_hex(key).substr(0, 32);
    } catch (const Error& e) {
      return refuse(500, e.what());  // OpenSSL without SHA-256; Kannel retries
    }
  }

  spdlog::debug("inbound '{}': Kannel message {} from {} to {} ({} bytes)", name_, provider_id, util::mask_phone(*from),
                util::mask_phone(*to), body->size());
  return InboundParse{
      200, InboundMessage{name_, std::move(*from), std::move(*to), std::move(*body), std::move(provider_id)}, ""};
}

InboundParse KannelInboundEndpoint::parse_dlr(const InboundRequest& request) const {
  if (request.method != "GET") return refuse(405, "method not allowed: Kannel fetches dlr-url with GET");
  const auto query = form_decode_strict(request.query().value_or(""));
  if (!query) return refuse(400, "query is not a valid urlencoded form");
  bool repeated = false;
  const auto secret = single_field(*query, "secret", repeated);
  if (!secret || secret->empty()) return refuse(403, "missing secret (put secret=... in the channel's dlr_url)");
  if (repeated) return refuse(403, "secret is given more than once");
  if (!secrets_equal(*secret, secret_)) return refuse(403, "wrong secret");

  std::string reason;
  const auto field = [&](std::string_view name) -> std::optional<std::string> {
    auto value = query_or_header(*query, name, request, "", reason);
    if (reason.empty() && (!value || value->empty())) reason = "field " + std::string(name) + " is missing";
    if (!reason.empty()) return std::nullopt;
    return value;
  };
  auto campaign = field("campaign");
  if (!campaign) return refuse(400, reason);
  auto to = field("to");
  if (!to) return refuse(400, reason);
  auto ref = field("ref");
  if (!ref) return refuse(400, reason);
  const auto status = field("status");
  if (!status) return refuse(400, reason);
  const auto answer = query_or_header(*query, "answer", request, "", reason);
  if (!reason.empty()) return refuse(400, reason);
  if (campaign->size() > kMaxCampaignLength || !is_utf8(*campaign)) return refuse(400, "malformed campaign");
  if (!is_address(*to)) return refuse(400, "malformed to");
  if (!is_id(*ref)) return refuse(400, "malformed ref");

  const auto type = std::find_if(std::begin(kDlrTypes), std::end(kDlrTypes),
                                 [&](const DlrType& t) { return t.code == trim(*status); });
  if (type == std::end(kDlrTypes)) {
    return refuse(400, "unknown DLR type in status (Kannel's %d: 1, 2, 4, 8 or 16)");
  }
  std::string code;
  if (type->state == DeliveryState::Undelivered || type->state == DeliveryState::Failed) {
    code = smpp_error_code(answer.value_or(""));
    if (code.empty()) code = "kannel-" + std::string(type->code);
  }
  DeliveryReceipt receipt{name_,       std::move(*campaign),      std::move(*to), std::move(*ref),
                          type->state, std::string(type->status), std::move(code)};
  spdlog::debug("inbound '{}': Kannel DLR {} for {} to {}", name_, receipt.provider_status, receipt.provider_id,
                util::mask_phone(receipt.to));
  InboundParse out;
  out.receipt = std::move(receipt);
  return out;
}

HttpResponse KannelInboundEndpoint::reply(const std::optional<std::string>& reply) const {
  HttpResponse response{200, {{"Content-Type", "text/plain; charset=UTF-8"}}, reply.value_or("")};
  if (!response.body.empty()) {
    bool gsm7 = false;
    try {
      gsm7 = templates::analyze_sms(response.body).encoding == templates::SmsEncoding::Gsm7;
    } catch (const Error& e) {
      // Not UTF-8, or ICU trouble: UCS-2 is the coding that loses nothing.
      spdlog::debug("inbound '{}': reply sent as UCS-2 ({})", name_, e.what());
    }
    if (!gsm7) response.headers.emplace_back("X-Kannel-Coding", "2");
  }
  return response;
}

}  // namespace broadcaster::channels
