// Routing and state of the simulated provider.
#include "simulator/simulator.h"

#include <spdlog/spdlog.h>

#include <boost/beast/core/string.hpp>
#include <utility>

#include "channels/http_message.h"
#include "simulator/basic_auth.h"
#include "simulator/message_list.h"
#include "util/phone.h"

namespace broadcaster::simulator {

namespace {

constexpr std::string_view kServerName = "broadcaster-sim";

// Boost 1.74's beast::string_view is boost::string_view, not std's.
std::string_view to_std(boost::beast::string_view s) { return {s.data(), s.size()}; }
boost::beast::string_view to_beast(std::string_view s) { return {s.data(), s.size()}; }

/// What a reverse proxy answers when the application behind it is down.
constexpr std::string_view kBadGatewayPage =
    "<html>\r\n"
    "<head><title>502 Bad Gateway</title></head>\r\n"
    "<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n"
    "<hr><center>nginx</center>\r\n"
    "</body>\r\n"
    "</html>\r\n";

Response make_response(const Request& request, http::status status, std::string_view content_type, std::string body) {
  Response res{status, request.version()};
  res.set(http::field::server, to_beast(kServerName));
  if (!content_type.empty()) res.set(http::field::content_type, to_beast(content_type));
  res.keep_alive(request.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response json_response(const Request& request, http::status status, const nlohmann::json& body) {
  return make_response(request, status, "application/json", dump_json(body));
}

bool is_form(const Request& request) {
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  const std::string_view type = to_std(request[http::field::content_type]);
  return type.size() >= kForm.size() && boost::beast::iequals(to_beast(type.substr(0, kForm.size())), to_beast(kForm));
}

std::string masked(const std::optional<std::string>& number) {
  return number ? util::mask_phone(*number) : std::string("-");
}

std::int64_t micros_since_epoch(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response plain_json_response(http::status status, const nlohmann::json& body) {
  Response res{status, 11};
  res.set(http::field::server, to_beast(kServerName));
  res.set(http::field::content_type, "application/json");
  res.keep_alive(false);
  res.body() = dump_json(body);
  res.prepare_payload();
  return res;
}

Simulator::Simulator(const SimOptions& options, std::unique_ptr<RecordFile> record, WallClock clock)
    : account_sid_(options.account_sid),
      auth_token_(options.auth_token),
      rules_{{options.unsubscribed.begin(), options.unsubscribed.end()},
             {options.invalid.begin(), options.invalid.end()}},
      delay_(options.delay_ms),
      slow_every_(options.slow_every),
      retry_after_seconds_(options.retry_after_seconds),
      faults_(FaultSchedule{options.fail_429_every, options.fail_500_every, options.html_error_every}),
      log_(options.max_recorded),
      record_(std::move(record)),
      clock_(std::move(clock)) {
  if (options.status_callbacks != "off") {
    callbacks_ = std::make_unique<StatusCallbacks>(options.account_sid, options.auth_token, options.status_callbacks);
  }
}

// --- routing -----------------------------------------------------------------

SimReply Simulator::handle(const Request& request) {
  const std::string_view target = to_std(request.target());
  const std::string_view path = target.substr(0, target.find('?'));

  if (const auto account_sid = match_messages_path(target)) {
    if (request.method() == http::verb::get) return {list(request, *account_sid), {}};
    stats_.count_request();
    if (request.method() != http::verb::post) {
      return {reject(request, method_not_allowed_error(to_std(request.method_string()))), {}};
    }
    const std::uint64_t n = faults_.count() + 1;  // this request's number, as the fault schedule counts
    SimReply reply = create_message(request, *account_sid);
    if (slow_every_ == 0 || n % slow_every_ == 0) reply.delay = delay_;
    return reply;
  }

  if (path == "/sim/messages" || path == "/sim/stats" || path == "/sim/reset") {
    const bool is_reset = path == "/sim/reset";
    const http::verb wanted = is_reset ? http::verb::post : http::verb::get;
    if (request.method() != wanted) {
      return {twilio_error(request, method_not_allowed_error(to_std(request.method_string()))), {}};
    }
    if (path == "/sim/messages") {
      return {json_response(request, http::status::ok, log_.to_json()), {}};
    }
    if (path == "/sim/stats") {
      auto body = stats_.to_json();
      body["recorded"] = log_.messages().size();
      body["dropped"] = log_.dropped();
      if (callbacks_) {
        body["status_callbacks_posted"] = callbacks_->posted();
        body["status_callbacks_failed"] = callbacks_->failed();
      }
      return {json_response(request, http::status::ok, body), {}};
    }
    spdlog::info("reset: forgetting {} recorded message(s) and all counters", log_.messages().size());
    log_.clear();
    stats_.reset();
    faults_.reset();
    return {make_response(request, http::status::no_content, {}, {}), {}};
  }

  return {twilio_error(request, not_found_error(path)), {}};
}

// --- Messages.json -----------------------------------------------------------

SimReply Simulator::create_message(const Request& request, std::string_view path_account_sid) {
  const std::uint64_t n = faults_.count() + 1;
  if (const Fault fault = faults_.next(); fault != Fault::kNone) {
    spdlog::debug("request #{}: injected fault {}", n, fault_name(fault));
    return {injected_fault(request, fault), {}};
  }

  const auto credentials = parse_basic_auth(to_std(request[http::field::authorization]));
  if (const auto error = check_auth(credentials, path_account_sid, account_sid_, auth_token_)) {
    spdlog::debug("request #{}: rejected credentials -> 401", n);
    Response res = reject(request, *error);
    res.set(http::field::www_authenticate, "Basic realm=\"Twilio API\"");
    return {std::move(res), {}};
  }

  const auto fields =
      is_form(request) ? channels::form_decode(request.body()) : std::vector<std::pair<std::string, std::string>>{};
  const auto create = CreateMessageRequest::from_form(fields);
  if (const auto error = validate_create(create, rules_)) {
    spdlog::debug("request #{}: to={} -> {} code {}", n, masked(create.to), error->status, error->code);
    return {reject(request, *error), {}};
  }

  const auto now = clock_();
  const std::string sid = sids_.next("SM");
  RecordedMessage recorded{sid,
                           *create.to,
                           create.from,
                           create.messaging_service_sid,
                           create.body,
                           create.status_callback,
                           micros_since_epoch(now)};
  if (record_) record_->append(dump_json(to_json(recorded)));
  if (callbacks_ && create.status_callback && !create.status_callback->empty()) {
    callbacks_->accepted(*create.status_callback, sid, create.from.value_or(""), *create.to);
  }
  log_.add(std::move(recorded));
  stats_.count_accepted();
  spdlog::debug("request #{}: to={} from={} -> 201 {}", n, masked(create.to), masked(create.from), sid);
  return {json_response(request, http::status::created, message_json(create, account_sid_, sid, now)), {}};
}

// --- GET Messages.json -------------------------------------------------------

Response Simulator::list(const Request& request, std::string_view path_account_sid) {
  const auto credentials = parse_basic_auth(to_std(request[http::field::authorization]));
  if (const auto error = check_auth(credentials, path_account_sid, account_sid_, auth_token_)) {
    Response res = twilio_error(request, *error);
    res.set(http::field::www_authenticate, "Basic realm=\"Twilio API\"");
    return res;
  }
  stats_.count_list();
  auto page = list_messages(log_, account_sid_, to_std(request.target()));
  if (const auto* error = std::get_if<TwilioError>(&page)) return twilio_error(request, *error);
  return json_response(request, http::status::ok, std::get<nlohmann::json>(page));
}

Response Simulator::twilio_error(const Request& request, const TwilioError& error) {
  return json_response(request, static_cast<http::status>(error.status), error_json(error));
}

Response Simulator::reject(const Request& request, const TwilioError& error) {
  stats_.count_rejected(error.status, error.code);
  return twilio_error(request, error);
}

Response Simulator::injected_fault(const Request& request, Fault fault) {
  switch (fault) {
    case Fault::kRateLimited: {
      Response res = reject(request, too_many_requests_error());
      res.set(http::field::retry_after, std::to_string(retry_after_seconds_));
      return res;
    }
    case Fault::kServerError:
      return reject(request, internal_error());
    case Fault::kHtmlBadGateway:
      stats_.count_rejected(502, std::nullopt);
      return make_response(request, http::status::bad_gateway, "text/html", std::string(kBadGatewayPage));
    case Fault::kNone:
      break;
  }
  return reject(request, internal_error());
}

}  // namespace broadcaster::simulator
