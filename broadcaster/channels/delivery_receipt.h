// A delivery receipt: a provider telling us, after it accepted a message,
// what became of it (Twilio's status callback, Kannel's DLR). Providers
// translate their own statuses to DeliveryState; the core keeps one state
// per message and moves it forward only.
#pragma once

#include <string>
#include <string_view>

namespace broadcaster::channels {

/// Where a message is, in the order a message moves. Delivered, Undelivered
/// and Failed are final: nothing moves a message out of them.
enum class DeliveryState { Queued, Sent, Delivered, Undelivered, Failed };

/// "queued", "sent", "delivered", "undelivered", "failed".
std::string_view to_string(DeliveryState state);

/// Order of `state` (final states share the highest): a receipt applies only
/// when it ranks above the message's current state, so a late "sent" never
/// undoes "delivered" and a duplicate changes nothing.
int rank(DeliveryState state);

/// Whether `state` is final.
inline bool is_final(DeliveryState state) { return rank(state) == rank(DeliveryState::Delivered); }

/// One receipt as an endpoint read it.
struct DeliveryReceipt {
  std::string endpoint;     ///< configured inbound endpoint ("twilio")
  std::string campaign_id;  ///< our reference carried in the callback URL ("" if absent)
  std::string to;           ///< the recipient's address as the provider wrote it
  std::string provider_id;  ///< the provider's message id (Twilio "SM...")
  DeliveryState state = DeliveryState::Queued;
  std::string provider_status;  ///< as the provider wrote it ("undelivered")
  std::string error_code;       ///< the provider's error code, "" when none ("30003")
};

}  // namespace broadcaster::channels
