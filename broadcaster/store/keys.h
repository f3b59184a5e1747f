// Every Redis key broadcaster uses, built in one place.
//
// All keys start with the configured prefix (default "bc:"). Keys that one
// script or transaction touches together share a hash tag ({...}), so the
// layout works unchanged on Redis Cluster.
//
//   key                              type    owner / meaning
//   -------------------------------  ------  -----------------------------------
//   <address> below is an address's stored form (util/address.h): a phone
//   number's E.164 ("+15595550142"), "email:<mailbox>" or "telegram:<id>".
//
//   bc:{subs}:sub:<address>          hash    subscriber: phone (the address; the
//                                            name predates other kinds), lang, tags (comma
//                                            separated), status (active|pending|
//                                            stopped), consent_source, consent_at,
//                                            created_at, updated_at, stopped_at,
//                                            stop_reason, pending_since, footer_due
//   bc:{subs}:active                 set     addresses of active subscribers
//   bc:{subs}:stopped                set     addresses that opted out: import
//                                            never re-activates these
//   bc:{subs}:all                    set     address of every stored subscriber
//   bc:{subs}:suppressed             set     subject hashes of numbers erased on
//                                            request (`remove --forget`): they
//                                            stay opted out without the number
//   bc:{subs}:subject_key            string  random key for subject hashes when
//                                            no key is configured (SET NX once)
//   bc:{subs}:consent                stream  consent log, append-only, never
//                                            trimmed: at, action, source, subject,
//                                            detail, provider_id, endpoint
//   bc:{subs}:consent:pii            hash    "<entry id>:phone" / "<entry id>:text"
//                                            -> the personal part of a consent
//                                            entry; erased by `remove --forget`
//   bc:{subs}:consent:by:<subject>   list    consent entry ids of one subject
//   bc:{subs}:seen:<provider id>     string  inbound message already acted on
//                                            (webhook retries); expires
//   bc:{subs}:answer:<provider id>   string  the keyword reply chosen for an
//                                            inbound message ("" for none), so
//                                            a retried webhook gets the same
//                                            one (inbound/reply_dispatch.h);
//                                            expires with seen:
//   bc:{subs}:replies:<subject>:<h>  string  auto-replies sent to a number in
//                                            hour <h> (abuse cap); expires
//   bc:{subs}:inbox                  stream  texts that were not keywords: at,
//                                            phone, subject, text, endpoint,
//                                            provider_id (approximately capped)
//   bc:{subs}:zone                   hash    address -> IANA time zone staff gave
//                                            (CSV time_zone); absent: the area
//                                            code decides
//   bc:{subs}:lang:<lang>            set     addresses by language
//   bc:{subs}:language               hash    address -> language: the same
//                                            fact as the sets, read a slice at
//                                            a time with HMGET when an audience
//                                            is queued (absent for subscribers
//                                            last changed before it existed)
//   bc:{subs}:tag:<tag>              set     addresses by tag (county, topic)
//   bc:campaigns                     zset    campaign id -> start time (ms since
//                                            epoch) of campaigns with work left;
//                                            `serve` works on those due
//   bc:campaigns:all                 zset    every submitted campaign id -> first
//                                            submission time (ms), for `stats`
//   bc:{c:<id>}:meta                 hash    id, template, channel, file,
//                                            reply (keyword replies sent as
//                                            one-message campaigns, id
//                                            reply-<endpoint>-<provider id>:
//                                            to_stopped | not_stopped, see
//                                            store/keyword_reply.h),
//                                            description, status (sending|paused|
//                                            cancelled|done), send_at_ms,
//                                            next_run_ms, submitted_at, done_at,
//                                            cancelled_at, retention_ms,
//                                            purge_at_ms (store/campaign_meta.h);
//                                            kept.
//                                            The two-person rule
//                                            (store/campaign_approval.h): author
//                                            (staff name of the last submitter),
//                                            approval (pending|approved|waived;
//                                            absent: none needed), approved_by,
//                                            approved_at (ISO 8601 UTC)
//   bc:{c:<id>}:audit                stream  the campaign's audit log
//                                            (store/audit_log.h): at, actor,
//                                            action, campaign, detail; staff
//                                            names, never a number; append-only,
//                                            never trimmed, kept
//   bc:{c:<id>}:queue                stream  one entry per message: to, lang,
//                                            body_ref, tz, region
//                                            (queue/queued_message.h); consumer
//                                            group "senders"; per-message
//   bc:{c:<id>}:bodies               hash    body_ref -> a rendered text the
//                                            entries name, each text once; no
//                                            number; expires with the
//                                            per-message keys
//   bc:{c:<id>}:enqueued             set     e164 already queued: submitting
//                                            twice never queues a number twice;
//                                            per-message
//   bc:{c:<id>}:outcome              hash    e164 -> "sent:<provider id>",
//                                            "failed:<code>", "skipped:stopped";
//                                            written before the entry is acked;
//                                            per-message
//   bc:{c:<id>}:sending              hash    e164 -> "<first ms>|<last ms>|<token>":
//                                            a send started and its outcome is
//                                            not stored yet (send_begin.lua); a
//                                            marker found by whoever handles the
//                                            message next makes it "in doubt":
//                                            the provider is asked before any
//                                            resend. Deleted with the outcome;
//                                            per-message
//   bc:{c:<id>}:deferred             zset    e164 -> due ms: messages set aside
//                                            (quiet hours, frequency cap, a
//                                            send time in the recipient's zone)
//                                            until then (defer.lua, undefer.lua);
//                                            per-message
//   bc:{c:<id>}:deferred:msg         hash    e164 -> the queue entry's fields
//                                            (JSON) of a deferred message;
//                                            per-message
//   bc:{c:<id>}:dead                 stream  queue entries that could not be
//                                            read: entry (id), reason, at; no
//                                            fields of the entry itself (no
//                                            number); kept
//   bc:{c:<id>}:stats                hash    counters (store/campaign_counters.h):
//                                            queued, sent, failed,
//                                            failed:<code>, skipped_stopped,
//                                            skipped_no_template, in_doubt,
//                                            in_doubt_found, in_doubt_resent,
//                                            dead_letter, erased, skipped_erased,
//                                            purged, cancelled; kept
//   bc:{c:<id>}:tmp                  stream  scratch copy of the queue while
//                                            forget rewrites it, renamed over it
//                                            by the same script
//   bc:{rl:<channel>}                string  GCRA theoretical arrival time (us)
//   bc:{subs}:recent:<e164>          zset    campaign id -> ms a campaign message
//                                            to this number started: the
//                                            frequency cap (subscriber_gate.lua);
//                                            expires after the cap's window
//   bc:serve:alive                   zset    `serve` process name -> last seen
//                                            (ms, Redis's clock); written every
//                                            2 s (store/serve_presence.h)
//   bc:{sched}:due                   zset    scheduled campaign id -> ms when
//                                            it is next looked at: its next
//                                            occurrence's due time, or the end
//                                            of a claim's lease
//                                            (store/schedule_registry.h)
//   bc:{sched}:c:<id>                hash    one scheduled campaign: file, next
//                                            (local wall time), zone, next_ms,
//                                            state (waiting|claimed),
//                                            lease_until_ms, attempt, skipped,
//                                            last_fired, last_outcome, runs;
//                                            deleted when the schedule ends
//
// The subscriber store lives in one hash slot so that a status change and its
// index updates are one atomic script; at the size of a community program
// (tens of thousands of numbers) that is far from a slot's capacity.
// Campaigns spread across slots by id.
//
// How long campaign data lives. A campaign's per-message keys (those marked
// per-message above, listed once in Keys::campaign_message_keys) hold numbers
// and the texts sent to them. When the campaign is done (every queued message
// has an outcome or was erased, store/scripts/campaign_finish.lua) they get an
// expiry of the campaign's retention (`retention.campaign_days` in
// broadcaster.yaml, default 30 days, copied into meta.retention_ms at each
// submission), and meta.purge_at_ms (ms since epoch, Redis's clock) records
// when they go. Meta and stats hold no numbers and are kept, so `stats` still
// counts a purged campaign. A submission that queues new messages for a done
// campaign re-opens it and removes the expiry (PERSIST) until it is done again.
// A submission after the purge finds no `enqueued` set, so it queues everyone
// in the audience again (stats.purged then counts the earlier messages, whose
// outcomes are gone, so the campaign can still finish): use a new campaign id
// for a new round. A cancelled campaign (store/campaign_control.h) starts
// the same clock when it is cancelled. `subscribers remove --forget` erases a
// number from the per-message keys of every campaign in bc:campaigns:all at once
// (store/scripts/campaign_forget.lua, one script per campaign): its queue
// entry, its `enqueued` member and its outcome go, counted in stats.erased (and
// skipped_erased when it had no outcome yet), so the campaign still finishes.
// The audit log is one stream per campaign, in the campaign's slot, so that
// a script changing a campaign (approve, pause, cancel) writes its audit
// entry in the same atomic step; `broadcaster audit` merges the streams of
// the campaigns in bc:campaigns:all by entry id (Redis's clock).
// Subscriber keys that hold a number keep it until `remove --forget` erases it,
// except the inbox (capped) and the rows marked expires.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace broadcaster::store {

/// Consumer group every `serve` process reads campaign queues with.
inline constexpr std::string_view kConsumerGroup = "senders";

class Keys {
 public:
  explicit Keys(std::string prefix = "bc:") : p_(std::move(prefix)) {}

  const std::string& prefix() const noexcept { return p_; }

  // --- subscribers ({subs} slot) ---
  std::string subscriber(std::string_view e164) const { return p_ + "{subs}:sub:" + std::string(e164); }
  std::string active() const { return p_ + "{subs}:active"; }
  std::string stopped() const { return p_ + "{subs}:stopped"; }
  std::string all_subscribers() const { return p_ + "{subs}:all"; }
  std::string language_index(std::string_view lang) const { return p_ + "{subs}:lang:" + std::string(lang); }
  std::string tag_index(std::string_view tag) const { return p_ + "{subs}:tag:" + std::string(tag); }
  std::string suppressed() const { return p_ + "{subs}:suppressed"; }
  std::string time_zones() const { return p_ + "{subs}:zone"; }
  std::string languages() const { return p_ + "{subs}:language"; }
  std::string recent_messages(std::string_view e164) const { return p_ + "{subs}:recent:" + std::string(e164); }
  std::string subject_key() const { return p_ + "{subs}:subject_key"; }
  std::string consent() const { return p_ + "{subs}:consent"; }
  std::string consent_pii() const { return p_ + "{subs}:consent:pii"; }
  std::string consent_by_subject(std::string_view subject) const {
    return p_ + "{subs}:consent:by:" + std::string(subject);
  }
  std::string seen(std::string_view provider_id) const { return p_ + "{subs}:seen:" + std::string(provider_id); }
  std::string answer(std::string_view provider_id) const {
    return p_ + "{subs}:answer:" + std::string(provider_id);
  }
  std::string replies(std::string_view subject, long long hour) const {
    return p_ + "{subs}:replies:" + std::string(subject) + ":" + std::to_string(hour);
  }
  std::string inbox() const { return p_ + "{subs}:inbox"; }

  // --- campaigns ({c:<id>} slot each) ---
  std::string campaigns() const { return p_ + "campaigns"; }
  std::string campaign_index() const { return p_ + "campaigns:all"; }
  std::string serve_processes() const { return p_ + "serve:alive"; }
  std::string campaign_meta(std::string_view id) const { return campaign(id, "meta"); }
  std::string campaign_queue(std::string_view id) const { return campaign(id, "queue"); }
  std::string campaign_enqueued(std::string_view id) const { return campaign(id, "enqueued"); }
  std::string campaign_outcome(std::string_view id) const { return campaign(id, "outcome"); }
  std::string campaign_stats(std::string_view id) const { return campaign(id, "stats"); }
  std::string campaign_sending(std::string_view id) const { return campaign(id, "sending"); }
  std::string campaign_deferred(std::string_view id) const { return campaign(id, "deferred"); }
  std::string campaign_deferred_messages(std::string_view id) const { return campaign(id, "deferred:msg"); }
  std::string campaign_dead(std::string_view id) const { return campaign(id, "dead"); }
  /// Each sent message's delivery state, by number: "<rank>:<state>:<code>:<ms>".
  std::string campaign_delivery(std::string_view id) const { return campaign(id, "delivery"); }
  /// Number -> a delivery receipt that came before the message's outcome was
  /// recorded (delivery_receipt.lua keeps it, record_outcome.lua applies it).
  std::string campaign_early_receipts(std::string_view id) const { return campaign(id, "early"); }
  /// Reference -> text of the campaign's messages (queue/queued_message.h).
  std::string campaign_bodies(std::string_view id) const { return campaign(id, "bodies"); }
  /// The campaign's audit stream (who submitted, approved, paused... it).
  std::string campaign_audit(std::string_view id) const { return campaign(id, "audit"); }
  /// The keys of campaign `id` that hold one entry per message (numbers and
  /// texts): they expire together after the campaign's retention, are
  /// persisted again when a submission re-opens the campaign, and lose a
  /// number on `remove --forget`. Scripts rely on the first three being
  /// queue, enqueued, outcome in this order; any key added after them must be
  /// a hash, set or sorted set keyed (field or member) by the number or by
  /// the queue entry id, so that forget can clear it without knowing it
  /// (the bodies hash is keyed by neither, holds no number, and forget
  /// leaves it alone).
  std::vector<std::string> campaign_message_keys(std::string_view id) const {
    return {campaign_queue(id),   campaign_enqueued(id), campaign_outcome(id),
            campaign_sending(id), campaign_deferred(id), campaign_deferred_messages(id),
            campaign_delivery(id),  campaign_early_receipts(id), campaign_bodies(id)};
  }

  /// Scratch key campaign_forget.lua copies the queue into (see there).
  std::string campaign_scratch(std::string_view id) const { return campaign(id, "tmp"); }

  // --- scheduled campaigns ({sched} slot) ---
  /// Scheduled campaign id -> ms when it is next looked at.
  std::string schedule_due() const { return p_ + "{sched}:due"; }
  /// One scheduled campaign's record (store/schedule_registry.h).
  std::string schedule(std::string_view id) const { return p_ + "{sched}:c:" + std::string(id); }

  // --- rate limits ---
  std::string rate_limit(std::string_view channel) const { return p_ + "{rl:" + std::string(channel) + "}"; }
  /// The bulk lane's own limit while an urgent campaign has work.
  std::string rate_limit_bulk(std::string_view channel) const {
    return p_ + "{rl:" + std::string(channel) + "}:bulk";
  }

 private:
  std::string campaign(std::string_view id, std::string_view what) const {
    return p_ + "{c:" + std::string(id) + "}:" + std::string(what);
  }
  std::string p_;
};

}  // namespace broadcaster::store
