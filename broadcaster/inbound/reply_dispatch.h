// Where a keyword reply goes: into the webhook's answer, or out as an
// ordinary outbound message on the endpoint's reply_channel (the endpoint's
// `replies:` setting, config/inbound_config.h).
// Design: the reply chosen for an inbound message is remembered under its
// provider id (bc:{subs}:answer:<id>, "" when none was chosen, kept as long
// as the webhook's dedupe memory, inbound.remember) before it goes anywhere.
// A retried webhook then gets exactly what the first attempt chose, whatever
// the responder would choose now, and a reply that was withheld (reply cap,
// region) stays withheld. If the first attempt was acted on but died before
// remembering (or queuing) its reply, the responder's reconstruction
// (Outcome::repeated) is remembered and sent instead.
//   - in_answer: the retry's answer carries the same reply. This cannot
//     deliver the reply twice: the provider only retries a webhook whose
//     answer it did not get (Twilio retries on connect and read time-outs
//     and, if asked to, on 5xx; a 200 it received is never retried:
//     https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides,
//     and Kannel's smsbox sends the body it got back as the reply once).
//     The retry exists only because the first answer was lost.
//   - outbound: the answer is empty and the reply is queued once per
//     provider id (store/keyword_reply.h); a retry queues nothing more.
// Never anything but a STOP confirmation or a HELP answer to a number that
// is opted out: a remembered welcome is not given to a retry that arrives
// after the subscriber's STOP.
#pragma once

#include <optional>
#include <string>

#include "channels/inbound.h"
#include "config/config.h"
#include "inbound/keyword_responder.h"
#include "store/redis_client.h"

namespace broadcaster::inbound {

class ReplyDispatch {
 public:
  ReplyDispatch(const config::Config& cfg, store::RedisClient& redis);

  /// Sends `outcome`'s reply to `message` the endpoint's way; returns the
  /// text for the webhook's answer (none in outbound mode). Throws
  /// RedisError (the webhook is then answered 503 and retried: nothing is
  /// sent twice, see above).
  std::optional<std::string> dispatch(const channels::InboundMessage& message, const Outcome& outcome);

 private:
  /// The reply chosen for this message: remembered now, or earlier.
  std::optional<std::string> decided(const channels::InboundMessage& message, const Outcome& outcome);

  const config::Config& cfg_;
  store::RedisClient& redis_;
};

}  // namespace broadcaster::inbound
