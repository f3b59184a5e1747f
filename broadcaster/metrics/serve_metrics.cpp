// Names of serve's metrics and the mapping to bounded labels.
#include "metrics/serve_metrics.h"

#include <algorithm>
#include <chrono>

#include "channels/provider_codes.h"

namespace broadcaster::metrics {

std::string code_label(std::string_view code) {
  if (code.empty()) return "none";
  if (channels::find_code(code) != nullptr) return std::string(code);
  const bool ours = code.size() <= 32 && std::all_of(code.begin(), code.end(),
                                                     [](char ch) { return (ch >= 'a' && ch <= 'z') || ch == '_'; });
  return ours ? std::string(code) : "other";
}

std::string outcome_label(std::string_view outcome) {
  const auto colon = outcome.find(':');
  const std::string_view head = outcome.substr(0, colon);
  if (head == "sent" || head == "failed") return std::string(head);
  if (head == "skipped") {
    const std::string_view why = colon == std::string_view::npos ? "" : outcome.substr(colon + 1);
    if (why == "stopped" || why == "cap" || why == "expired") return "skipped_" + std::string(why);
    return "skipped";
  }
  return "";
}

ServeMetrics::ServeMetrics(Registry& r, const std::vector<std::string>& channels)
    : messages(r.counter("broadcaster_messages_total",
                         "Campaign messages this process recorded an outcome for, by channel and outcome "
                         "(sent, failed, skipped_stopped, skipped_cap, skipped_expired).",
                         {"channel", "outcome"})),
      send_failures(r.counter("broadcaster_send_failures_total",
                              "Messages that failed for good, by channel and provider error code "
                              "(unknown codes read other).",
                              {"channel", "code"})),
      retries(
          r.counter("broadcaster_send_retries_total", "Send attempts retried after a retryable failure.", {"channel"})),
      in_doubt(r.counter("broadcaster_in_doubt_messages_total",
                         "Sends whose answer never came (the provider is asked before any resend).", {"channel"})),
      rate_limit_waits(r.counter("broadcaster_rate_limit_waits_total",
                                 "Rate-limit slots granted after waiting (any wait over 1 ms).", {"channel"})),
      rate_limit_wait_seconds(r.counter("broadcaster_rate_limit_wait_seconds_total",
                                        "Time messages spent waiting for a rate-limit slot.", {"channel"})),
      held(r.gauge("broadcaster_held_messages",
                   "Messages this process holds now (waiting for a slot, a retry, the provider or Redis).",
                   {"channel"})),
      requests_in_flight(
          r.gauge("broadcaster_provider_requests_in_flight", "HTTP requests to providers on the wire now.")),
      queued(r.gauge("broadcaster_campaign_queued_messages",
                     "Messages in a running campaign's queue without an outcome yet (not yet read, or read and "
                     "not acknowledged); every serve reports the same value.",
                     {"campaign"})),
      oldest_queued(r.gauge("broadcaster_campaign_oldest_queued_age_seconds",
                            "Age of the oldest message in a running campaign's queue without an outcome yet "
                            "(0 when none).",
                            {"campaign"})),
      deferred(r.gauge("broadcaster_campaign_deferred_messages",
                       "Messages of a running campaign set aside until later (quiet hours, the frequency cap).",
                       {"campaign"})),
      receipts(r.counter("broadcaster_delivery_receipts_total",
                         "Delivery receipts received, by state and provider error code (none: no code).",
                         {"state", "code"})),
      inbound_texts(r.counter("broadcaster_inbound_texts_total",
                              "Texts subscribers sent, by keyword action and what was done.", {"action", "result"})),
      webhook_rejections(r.counter("broadcaster_webhook_rejections_total",
                                   "Webhook requests or connections refused, by reason.", {"reason"})),
      redis_errors(r.counter("broadcaster_redis_errors_total",
                             "Redis failures: the sender's connection lost, or a webhook's Redis work failing.",
                             {"client"})),
      redis_reconnects(r.counter("broadcaster_redis_reconnects_total",
                                 "Times the sender's Redis connection came back after being lost.")),
      redis_up(r.gauge("broadcaster_redis_up", "1 while the sender's Redis connection is up, else 0.")),
      start_time(r.gauge("process_start_time_seconds", "Start time of the process since the Unix epoch.")) {
  for (const auto& ch : channels) {
    messages.add({ch, "sent"}, 0);
    messages.add({ch, "failed"}, 0);
    retries.add({ch}, 0);
    in_doubt.add({ch}, 0);
  }
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  start_time.set({}, std::chrono::duration<double>(now).count());
}

void ServeMetrics::message_recorded(const std::string& channel, std::string_view outcome) {
  const std::string label = outcome_label(outcome);
  if (label.empty()) return;
  messages.add({channel, label});
  if (label == "failed") send_failures.add({channel, code_label(outcome.substr(outcome.find(':') + 1))});
}

void ServeMetrics::receipt(const channels::DeliveryReceipt& r) {
  receipts.add({std::string(channels::to_string(r.state)), code_label(r.error_code)});
}

void ServeMetrics::rate_limit_waited(const std::string& channel, std::chrono::steady_clock::duration waited) {
  if (waited < std::chrono::milliseconds(1)) return;
  rate_limit_waits.add({channel});
  rate_limit_wait_seconds.add({channel}, std::chrono::duration<double>(waited).count());
}

}  // namespace broadcaster::metrics
