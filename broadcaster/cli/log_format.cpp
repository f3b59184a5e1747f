// Text and JSON log lines.
#include "cli/log_format.h"

#include <spdlog/details/log_msg.h>

#include <cctype>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

namespace broadcaster::cli {

namespace {

constexpr std::string_view kBullet = "\u2022";  // util::mask_phone's hiding mark
constexpr std::string_view kCampaignPrefix = "campaign ";

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::string utc_time(std::chrono::system_clock::time_point at) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms % 1000));
  return std::string(buf, n) + millis;
}

class JsonLogFormatter final : public spdlog::formatter {
 public:
  explicit JsonLogFormatter(std::string component) : component_(std::move(component)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    const LogFields fields = log_fields(text);
    const auto level = spdlog::level::to_string_view(msg.level);
    nlohmann::json line = {
        {"time", utc_time(msg.time)},
        {"level", std::string_view(level.data(), level.size())},
        {"component", component_},
        {"campaign", fields.campaign.empty() ? nlohmann::json(nullptr) : nlohmann::json(fields.campaign)},
        {"number", fields.number.empty() ? nlohmann::json(nullptr) : nlohmann::json(fields.number)},
        {"message", text},
    };
    const std::string out = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    dest.append(out.data(), out.data() + out.size());
    dest.push_back('\n');
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonLogFormatter>(component_); }

 private:
  std::string component_;
};

}  // namespace

std::optional<LogFormat> parse_log_format(std::string_view name) {
  if (name == "text") return LogFormat::Text;
  if (name == "json") return LogFormat::Json;
  return std::nullopt;
}

LogFields log_fields(std::string_view message) {
  LogFields out;
  if (message.starts_with(kCampaignPrefix)) {
    const auto rest = message.substr(kCampaignPrefix.size());
    const auto colon = rest.find(": ");
    const auto id = rest.substr(0, colon);
    if (colon != std::string_view::npos && !id.empty() && id.find(' ') == std::string_view::npos) {
      out.campaign = std::string(id);
    }
  }
  // The first masked number: '+' and digits, the bullets, then digits.
  for (auto at = message.find(kBullet); at != std::string_view::npos; at = message.find(kBullet, at + 1)) {
    std::size_t start = at;
    while (start > 0 && is_digit(message[start - 1])) --start;
    if (start > 0 && message[start - 1] == '+') --start;
    std::size_t end = at;
    while (message.substr(end).starts_with(kBullet)) end += kBullet.size();
    while (end < message.size() && is_digit(message[end])) ++end;
    if (start < at || end > at + kBullet.size()) {
      out.number = std::string(message.substr(start, end - start));
      break;
    }
  }
  return out;
}

std::unique_ptr<spdlog::formatter> json_log_formatter(std::string component) {
  return std::make_unique<JsonLogFormatter>(std::move(component));
}

}  // namespace broadcaster::cli
