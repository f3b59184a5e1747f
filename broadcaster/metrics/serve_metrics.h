// The metrics `broadcaster serve` exposes: the one place their names, help
// texts, labels and units are declared (ops/prometheus/ alerts and the
// Grafana dashboard use these names).
// Design: plain references into a Registry, plus small recording functions
// that turn what the code knows (an outcome string, a provider code) into
// bounded label values: a provider code is a label only when the provider
// registry knows it (or it is one of our own lower-case codes such as
// "in_doubt"); anything else reads "other", so a provider answering
// arbitrary codes cannot grow the series without bound. No label ever holds
// a phone number or a message id.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "channels/delivery_receipt.h"
#include "metrics/registry.h"

namespace broadcaster::metrics {

/// The label value for a provider error code: the code when known (or one
/// of our own codes, lower-case letters and '_'), "none" when empty,
/// "other" otherwise.
[[nodiscard]] std::string code_label(std::string_view code);

/// The outcome label of an outcome string as the sender records it
/// ("sent:SM..." -> "sent", "failed:30007" -> "failed", "skipped:stopped" ->
/// "skipped_stopped"); "" for "already" (a redelivered entry: not counted).
[[nodiscard]] std::string outcome_label(std::string_view outcome);

struct ServeMetrics {
  /// Makes every family in `registry`; the series of `channels` x {sent,
  /// failed} start at 0, so rate() works from the first scrape.
  ServeMetrics(Registry& registry, const std::vector<std::string>& channels);

  // --- sending (sender/sender.cpp) ---
  Family& messages;                 ///< broadcaster_messages_total{channel,outcome}
  Family& send_failures;            ///< broadcaster_send_failures_total{channel,code}
  Family& retries;                  ///< broadcaster_send_retries_total{channel}
  Family& in_doubt;                 ///< broadcaster_in_doubt_messages_total{channel}
  Family& rate_limit_waits;         ///< broadcaster_rate_limit_waits_total{channel}
  Family& rate_limit_wait_seconds;  ///< broadcaster_rate_limit_wait_seconds_total{channel}
  Family& held;                     ///< broadcaster_held_messages{channel}, at scrape time
  Family& requests_in_flight;       ///< broadcaster_provider_requests_in_flight, at scrape time
  // --- queues, at scrape time from Redis (metrics/queue_probe.h) ---
  Family& queued;         ///< broadcaster_campaign_queued_messages{campaign}
  Family& oldest_queued;  ///< broadcaster_campaign_oldest_queued_age_seconds{campaign}
  Family& deferred;       ///< broadcaster_campaign_deferred_messages{campaign}
  // --- inbound (inbound/webhook_server.cpp) ---
  Family& receipts;            ///< broadcaster_delivery_receipts_total{state,code}
  Family& inbound_texts;       ///< broadcaster_inbound_texts_total{action,result}
  Family& webhook_rejections;  ///< broadcaster_webhook_rejections_total{reason}
  // --- Redis and the process ---
  Family& redis_errors;      ///< broadcaster_redis_errors_total{client}
  Family& redis_reconnects;  ///< broadcaster_redis_reconnects_total
  Family& redis_up;          ///< broadcaster_redis_up
  Family& start_time;        ///< process_start_time_seconds

  // Recording helpers (thread-safe, like the families).
  /// One outcome recorded for a message sent on `channel`; `code` for a
  /// failure ("failed:<code>").
  void message_recorded(const std::string& channel, std::string_view outcome);
  /// A delivery receipt the webhook server received.
  void receipt(const channels::DeliveryReceipt& receipt);
  /// A rate-limit slot granted after `waited`.
  void rate_limit_waited(const std::string& channel, std::chrono::steady_clock::duration waited);
};

}  // namespace broadcaster::metrics
