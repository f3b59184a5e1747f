// `broadcaster-sim text`: a subscriber's text as Twilio's signed webhook,
// sent with libcurl, and the TwiML answer printed.
#include "simulator/text_in.h"

#include <algorithm>
#include <cctype>

#include "channels/inbound.h"

#include <curl/curl.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <regex>

#include "channels/http_message.h"
#include "channels/twilio/twilio_signature.h"
#include "channels/twilio/twiml.h"
#include "simulator/segments.h"
#include "simulator/sid_generator.h"
#include "util/c_handle.h"
#include "util/errors.h"
#include "util/phone.h"

namespace broadcaster::simulator {

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr std::size_t kMaxErrorBody = 200;  // bytes of an error body shown

// ISO 3166 region of an E.164 number, "" when unknown, as Twilio's
// FromCountry/ToCountry.
std::string country_of(const std::string& number) {
  const auto phone = util::Phone::parse(number, "US");
  if (!phone) return {};
  const std::string region = phone->region();
  return region == "ZZ" ? std::string() : region;
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// Keeps the value of our reply-withheld header (one header line per call).
std::size_t take_reply_withheld(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string_view line(data, size * count);
  const std::string_view name = channels::kReplyWithheldHeader;
  if (line.size() > name.size() + 1 && line[name.size()] == ':' &&
      std::equal(name.begin(), name.end(), line.begin(),
                 [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                             std::tolower(static_cast<unsigned char>(b)); })) {
    std::string_view value = line.substr(name.size() + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    *static_cast<std::string*>(user) = std::string(value);
  }
  return size * count;
}

// The first line of an error body, cut to kMaxErrorBody bytes.
std::string error_excerpt(std::string_view body) {
  body = body.substr(0, body.find_first_of("\r\n"));
  if (body.size() > kMaxErrorBody) return std::string(body.substr(0, kMaxErrorBody)) + "...";
  return std::string(body);
}

template <class T>
void set(CURL* curl, CURLoption option, T value, const char* what) {
  const CURLcode rc = curl_easy_setopt(curl, option, value);
  if (rc != CURLE_OK) {
    throw Error(std::string("libcurl refused option ") + what + ": " + curl_easy_strerror(rc));
  }
}

const CLI::Validator& e164_validator() {
  static const CLI::Validator validator(
      [](std::string& value) -> std::string {
        static const std::regex pattern(R"(^\+[1-9][0-9]{6,14}$)");
        if (std::regex_match(value, pattern)) return {};
        return "write the number in E.164 form, e.g. +15595550142";
      },
      "E164");
  return validator;
}

// "AC" / "MG" followed by exactly 32 hex digits.
CLI::Validator sid_validator(const std::string& prefix) {
  return CLI::Validator(
      [prefix](std::string& value) -> std::string {
        static const std::regex hex32("^[0-9a-fA-F]{32}$");
        if (value.size() == prefix.size() + 32 && value.starts_with(prefix) &&
            std::regex_match(value.substr(prefix.size()), hex32)) {
          return {};
        }
        return "must be '" + prefix + "' followed by 32 hex digits";
      },
      prefix + "_SID");
}

const CLI::Validator& http_url_validator() {
  static const CLI::Validator validator(
      [](std::string& value) -> std::string {
        if (value.starts_with("http://") || value.starts_with("https://")) return {};
        return "must be an http:// or https:// URL, e.g. http://127.0.0.1:8080/twilio/sms";
      },
      "URL");
  return validator;
}

// Prints one result; returns the exit status it calls for (0 or 1).
int report(const TextInResult& result, bool json, std::ostream& out, std::ostream& err) {
  if (json) {
    nlohmann::json line = {{"status", result.status},
                           {"replies", result.replies},
                           {"message_sid", result.message_sid}};
    if (!result.reply_withheld.empty()) line["reply_withheld"] = result.reply_withheld;
    if (!result.error.empty()) line["error"] = result.error;
    out << line.dump() << '\n';
  } else if (result.error.empty()) {
    if (result.replies.empty()) {
      out << (result.reply_withheld.empty() ? std::string("(no reply)") : "(no reply: " + result.reply_withheld + ")")
          << "\n";
    }
    for (const auto& reply : result.replies) out << reply << '\n';
  } else {
    err << "broadcaster-sim text: " << result.error << '\n';
  }
  out.flush();
  return result.error.empty() ? 0 : 1;
}

}  // namespace

Fields incoming_sms_fields(const TextInOptions& options, std::string_view body,
                           std::string_view message_sid) {
  const std::string sid(message_sid);
  Fields fields = {{"ToCountry", country_of(options.to)},
                   {"ToState", ""},
                   {"SmsMessageSid", sid},
                   {"NumMedia", "0"},
                   {"ToCity", ""},
                   {"FromZip", ""},
                   {"SmsSid", sid},
                   {"FromState", ""},
                   {"SmsStatus", "received"},
                   {"FromCity", ""},
                   {"Body", std::string(body)},
                   {"FromCountry", country_of(options.from)},
                   {"To", options.to},
                   {"ToZip", ""},
                   {"NumSegments", std::to_string(count_segments(body))},
                   {"MessageSid", sid},
                   {"AccountSid", options.account_sid},
                   {"From", options.from},
                   {"ApiVersion", "2010-04-01"}};
  if (!options.messaging_service_sid.empty()) {
    fields.emplace_back("MessagingServiceSid", options.messaging_service_sid);
  }
  return fields;
}

TextInResult send_text(const TextInOptions& options) {
  if (!options.body) throw Error("send_text needs a body");
  TextInResult result;
  SidGenerator sids;
  result.message_sid = sids.next("SM");
  const Fields fields = incoming_sms_fields(options, *options.body, result.message_sid);
  const std::string form = channels::form_encode(fields);
  const std::string signature =
      channels::twilio_signature(options.webhook_url, fields, options.auth_token);

  util::CurlEasy curl(curl_easy_init());
  if (!curl) throw Error("libcurl could not create a handle");
  util::CurlSlist headers;
  for (const std::string& header :
       {std::string("Content-Type: application/x-www-form-urlencoded"),
        std::string("User-Agent: TwilioProxy/1.1"), std::string("Accept: */*"),
        std::string("Expect:"), "X-Twilio-Signature: " + signature,
        "I-Twilio-Idempotency-Token: " + result.message_sid}) {
    // Appending keeps the head, except for the first item.
    curl_slist* head = curl_slist_append(headers.get(), header.c_str());
    if (head == nullptr) throw Error("out of memory building request headers");
    if (!headers) headers.reset(head);
  }
  std::string answer;
  CURL* handle = curl.get();
  set(handle, CURLOPT_URL, options.webhook_url.c_str(), "URL");
#if LIBCURL_VERSION_NUM >= 0x075500
  set(handle, CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR");
#endif
  set(handle, CURLOPT_NOSIGNAL, 1L, "NOSIGNAL");
  set(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout_ms), "TIMEOUT_MS");
  set(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.timeout_ms),
      "CONNECTTIMEOUT_MS");
  set(handle, CURLOPT_HTTPHEADER, headers.get(), "HTTPHEADER");
  set(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(form.size()), "POSTFIELDSIZE");
  set(handle, CURLOPT_COPYPOSTFIELDS, form.c_str(), "COPYPOSTFIELDS");
  set(handle, CURLOPT_WRITEFUNCTION, &append_body, "WRITEFUNCTION");
  set(handle, CURLOPT_WRITEDATA, static_cast<void*>(&answer), "WRITEDATA");
  set(handle, CURLOPT_HEADERFUNCTION, &take_reply_withheld, "HEADERFUNCTION");
  set(handle, CURLOPT_HEADERDATA, static_cast<void*>(&result.reply_withheld), "HEADERDATA");

  const CURLcode rc = curl_easy_perform(handle);
  if (rc != CURLE_OK) {
    throw Error("could not deliver the text to " + options.webhook_url + ": " +
                curl_easy_strerror(rc) + " (is broadcaster serve running there?)");
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &result.status);

  if (result.status < 200 || result.status > 299) {
    result.error = "HTTP " + std::to_string(result.status);
    if (const std::string excerpt = error_excerpt(answer); !excerpt.empty()) {
      result.error += ": " + excerpt;
    }
    return result;
  }
  if (answer.find_first_not_of(" \t\r\n") == std::string::npos) return result;  // Twilio: no reply
  if (auto messages = channels::twiml_messages(answer)) {
    for (auto& message : *messages) {
      if (!message.empty()) result.replies.push_back(std::move(message));
    }
  } else {
    result.error = "answer (HTTP " + std::to_string(result.status) +
                   ") is not TwiML: " + error_excerpt(answer);
  }
  return result;
}

CLI::App* add_text_command(CLI::App& app, TextInOptions& o) {
  CLI::App* text = app.add_subcommand(
      "text",
      "Play a subscriber: POST a signed Twilio incoming-message webhook to broadcaster serve and "
      "print the reply texts");
  text->add_option("--webhook-url", o.webhook_url,
                   "URL of serve's Twilio endpoint; also the URL signed (serve's public_url)")
      ->required()
      ->check(http_url_validator());
  text->add_option("--from", o.from, "The subscriber's number (E.164)")
      ->required()
      ->check(e164_validator());
  text->add_option("--to", o.to, "Our number the text goes to (E.164)")
      ->check(e164_validator())
      ->capture_default_str();
  text->add_option("--body", o.body,
                   "The text; without it, each line of standard input is one text");
  text->add_option("--account-sid", o.account_sid, "AccountSid sent with the webhook")
      ->check(sid_validator("AC"))
      ->capture_default_str();
  text->add_option("--messaging-service-sid", o.messaging_service_sid,
                   "MessagingServiceSid sent with the webhook (MG...)")
      ->check(sid_validator("MG"));
  text->add_option("--auth-token-env", o.auth_token_env,
                   "Environment variable holding the auth token to sign with (unset: "
                   "'sim-auth-token')")
      ->capture_default_str();
  text->add_option("--timeout-ms", o.timeout_ms, "Deadline for each webhook request")
      ->check(CLI::Range(1u, 120000u))
      ->capture_default_str();
  text->add_flag("--json", o.json, "Print one JSON object per text instead of the reply lines");
  return text;
}

int run_text_command(TextInOptions options, std::istream& in, std::ostream& out, std::ostream& err,
                     const EnvReader& env) {
  EnvReader read = env;
  if (!read) {
    read = [](const std::string& name) -> std::optional<std::string> {
      const char* value = std::getenv(name.c_str());
      if (value == nullptr) return std::nullopt;
      return std::string(value);
    };
  }
  const auto token = read(options.auth_token_env);
  options.auth_token = token && !token->empty() ? *token : std::string(kDefaultAuthToken);

  std::vector<std::string> texts;
  if (options.body) {
    texts.push_back(*options.body);
  } else {
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) texts.push_back(line);
    }
  }
  int status = 0;
  for (const auto& text : texts) {
    options.body = text;
    try {
      status = std::max(status, report(send_text(options), options.json, out, err));
    } catch (const Error& e) {
      if (options.json) {
        out << nlohmann::json{{"status", 0},
                              {"replies", nlohmann::json::array()},
                              {"error", e.what()}}
                   .dump()
            << '\n';
      }
      err << "broadcaster-sim text: " << e.what() << '\n';
      return 2;
    }
  }
  return status;
}

}  // namespace broadcaster::simulator
