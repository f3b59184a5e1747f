// GET Messages.json: filtering and paging the simulator's message log.
#include "simulator/message_list.h"

#include <fmt/format.h>

#include <charconv>
#include <ctime>

#include "channels/http_message.h"

namespace broadcaster::simulator {

namespace {

constexpr std::size_t kDefaultPageSize = 50;
constexpr std::size_t kMaxPageSize = 1000;

// A GMT calendar day as days since 1970-01-01.
using Day = long long;

TwilioError invalid(std::string_view parameter) {
  return TwilioError{400, 20001, fmt::format("Invalid parameter: {}", parameter)};
}

std::optional<Day> parse_day(std::string_view text) {
  // YYYY-MM-DD exactly.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  const auto num = [](std::string_view s, int& out) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size();
  };
  if (!num(text.substr(0, 4), y) || !num(text.substr(5, 2), m) || !num(text.substr(8, 2), d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

Day day_of(std::int64_t micros) {
  return std::chrono::floor<std::chrono::days>(
             std::chrono::sys_time<std::chrono::microseconds>(std::chrono::microseconds(micros)))
      .time_since_epoch()
      .count();
}

struct Query {
  std::optional<std::string> to;
  std::optional<std::string> from;
  std::optional<Day> on_or_after;
  std::optional<Day> on_or_before;
  std::size_t page_size = kDefaultPageSize;
  std::size_t page = 0;
  std::size_t offset = 0;  // from PageToken
};

std::optional<std::size_t> parse_count(std::string_view text) {
  std::size_t value = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// Applies one DateSent filter: "YYYY-MM-DD", "<=YYYY-MM-DD" or ">=YYYY-MM-DD";
// `bound` is '<' or '>' for the DateSent< / DateSent> parameters.
bool apply_date(Query& q, std::string_view value, char bound) {
  if (bound == 0 && (value.starts_with("<=") || value.starts_with(">="))) {
    bound = value[0];
    value.remove_prefix(2);
  }
  const auto day = parse_day(value);
  if (!day) return false;
  if (bound != '<') q.on_or_after = day;
  if (bound != '>') q.on_or_before = day;
  return true;
}

std::variant<Query, TwilioError> parse_query(std::string_view target) {
  Query q;
  const auto mark = target.find('?');
  if (mark == std::string_view::npos) return q;
  for (const auto& [key, value] : channels::form_decode(target.substr(mark + 1))) {
    if (key == "To") {
      q.to = value;
    } else if (key == "From") {
      q.from = value;
    } else if (key == "DateSent" || key == "DateSent<" || key == "DateSent>") {
      const char bound = key.size() == 9 ? key[8] : 0;
      if (!apply_date(q, value, bound)) return invalid(key);
    } else if (key == "PageSize") {
      const auto n = parse_count(value);
      if (!n || *n < 1 || *n > kMaxPageSize) return invalid(key);
      q.page_size = *n;
    } else if (key == "Page") {
      const auto n = parse_count(value);
      if (!n) return invalid(key);
      q.page = *n;
    } else if (key == "PageToken") {
      const auto n = value.starts_with("PA") ? parse_count(std::string_view(value).substr(2)) : std::nullopt;
      if (!n) return invalid(key);
      q.offset = *n;
    }
  }
  return q;
}

bool matches(const Query& q, const RecordedMessage& m) {
  if (q.to && m.to != *q.to) return false;
  if (q.from && m.from != *q.from) return false;
  const Day day = day_of(m.received_at_us);
  if (q.on_or_after && day < *q.on_or_after) return false;
  if (q.on_or_before && day > *q.on_or_before) return false;
  return true;
}

// The query string that reproduces `q`'s filters, for the page URIs.
std::string filters(const Query& q) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (q.to) fields.emplace_back("To", *q.to);
  if (q.from) fields.emplace_back("From", *q.from);
  const auto date = [](Day d) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{d}}};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
  };
  if (q.on_or_after) fields.emplace_back("DateSent>", date(*q.on_or_after));
  if (q.on_or_before) fields.emplace_back("DateSent<", date(*q.on_or_before));
  fields.emplace_back("PageSize", std::to_string(q.page_size));
  return channels::form_encode(fields);
}

}  // namespace

std::variant<nlohmann::json, TwilioError> list_messages(const MessageLog& log, std::string_view account_sid,
                                                        std::string_view target) {
  auto parsed = parse_query(target);
  if (auto* error = std::get_if<TwilioError>(&parsed)) return *error;
  const Query& q = std::get<Query>(parsed);

  auto page = nlohmann::json::array();
  std::size_t seen = 0;  // matches before this page
  bool more = false;
  const auto& messages = log.messages();
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {  // newest first
    if (!matches(q, *it)) continue;
    if (seen++ < q.offset) continue;
    if (page.size() == q.page_size) {
      more = true;
      break;
    }
    CreateMessageRequest create;
    create.to = it->to;
    create.from = it->from;
    create.messaging_service_sid = it->messaging_service_sid;
    create.body = it->body;
    create.status_callback = it->status_callback;
    const auto created = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::microseconds(it->received_at_us)));
    nlohmann::json message = message_json(create, account_sid, it->sid, created);
    message["status"] = "sent";
    message["date_sent"] = message["date_created"];
    page.push_back(std::move(message));
  }

  const std::string base = fmt::format("/{}/Accounts/{}/Messages.json?{}", kApiVersion, account_sid, filters(q));
  const std::size_t start = q.page * q.page_size;
  nlohmann::json body{
      {"messages", std::move(page)},
      {"page", q.page},
      {"page_size", q.page_size},
      {"start", start},
      {"uri", fmt::format("{}&Page={}&PageToken=PA{}", base, q.page, q.offset)},
      {"first_page_uri", fmt::format("{}&Page=0", base)},
      {"previous_page_uri", nullptr},
      {"next_page_uri", nullptr},
  };
  body["end"] = start + (body["messages"].empty() ? 0 : body["messages"].size() - 1);
  if (more) {
    body["next_page_uri"] = fmt::format("{}&Page={}&PageToken=PA{}", base, q.page + 1, q.offset + q.page_size);
  }
  if (q.page > 0) {
    const std::size_t previous = q.offset >= q.page_size ? q.offset - q.page_size : 0;
    body["previous_page_uri"] = fmt::format("{}&Page={}&PageToken=PA{}", base, q.page - 1, previous);
  }
  return body;
}

}  // namespace broadcaster::simulator
