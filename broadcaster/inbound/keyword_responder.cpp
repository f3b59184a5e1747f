// The keyword flow: classify, change, log, reply (see keyword_responder.h).
#include "inbound/keyword_responder.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "store/reply_quota.h"
#include "util/errors.h"

namespace broadcaster::inbound {

KeywordResponder::KeywordResponder(const config::Config& cfg, keywords::KeywordSet keywords, store::RedisClient& redis,
                                   std::optional<std::string> subject_key,
                                   std::function<std::chrono::system_clock::time_point()> clock)
    : cfg_(cfg),
      keywords_(std::move(keywords)),
      redis_(redis),
      subscribers_(redis, store::Keys(cfg.redis.prefix), std::move(subject_key)),
      inbox_(redis, store::Keys(cfg.redis.prefix)),
      templates_(cfg.templates_dir),
      clock_(std::move(clock)) {
  for (const char* name :
       {kReplyOptIn, kReplyOptOut, kReplyOptOutUnsure, kReplyHelp, kReplyConfirm, kReplyLanguage, kReplyTopics}) {
    replies_[name] = &templates_.load(name);
  }
}

std::optional<std::string> KeywordResponder::render(const char* name, const std::string& language,
                                                    const config::NumberSettings& ours,
                                                    const std::vector<std::string>& tags) {
  const templates::MessageTemplate* variant = replies_.at(name)->resolve(cfg_.fallback_chain(language));
  if (variant == nullptr) {
    spdlog::error("reply template {} has no variant for {} or its fallbacks; no reply sent", name, language);
    return std::nullopt;
  }
  std::string topics;
  for (const auto& t : tags) topics += (topics.empty() ? "" : ", ") + t;
  if (topics.empty()) topics = "—";  // "You now follow: —" rather than a dangling colon
  const std::string native = keywords_.native_name(variant->language());
  using templates::Value;
  return variant->render({{"program", Value::text(ours.program)},
                          {"contact", Value::text(ours.contact)},
                          {"language_name", Value::text(native.empty() ? variant->language() : native)},
                          {"topics", Value::text(topics)}});
}

void KeywordResponder::gate_reply(Outcome& outcome, const util::Address& address, const std::string& subject) {
  if (!outcome.reply) return;
  // reply_regions keeps replies off numbers abroad (cost, toll fraud); an
  // address of another kind has no region and costs the same anywhere.
  const auto& regions = cfg_.inbound.reply_regions;
  if (address.is_phone() && std::find(regions.begin(), regions.end(), address.region()) == regions.end()) {
    outcome.reply_withheld = "region " + address.region() + " is not in reply_regions";
  } else if (outcome.repeated) {
    // Chosen again for a retried webhook: the first attempt took its place
    // under the cap (or was cut short before it could).
  } else if (outcome.result == "opted_out") {
    // The one confirmation of an opt-out (CTIA) is never withheld by the
    // hourly cap: someone who just texted STOP must hear that it worked. It
    // comes once per opt-out, so it cannot be used to flood a number.
  } else if (cfg_.inbound.replies_per_hour == 0) {
    outcome.reply_withheld = "replies_per_hour is 0";
  } else if (!store::take_reply_quota(redis_, store::Keys(cfg_.redis.prefix), subject, cfg_.inbound.replies_per_hour,
                                      clock_())) {
    outcome.reply_withheld = "reply cap of " + std::to_string(cfg_.inbound.replies_per_hour) + " per hour reached";
  }
  if (!outcome.reply_withheld.empty()) outcome.reply.reset();
}

std::string KeywordResponder::first_result(const std::string& provider_id) {
  if (provider_id.empty()) return "";
  const store::RedisValue v = redis_.command({"GET", store::Keys(cfg_.redis.prefix).seen(provider_id)});
  return v.is_nil() ? "" : v.as_string();
}

Outcome KeywordResponder::handle(const channels::InboundMessage& message) {
  Outcome out;
  std::string why;
  const auto sender = util::Address::parse(message.from, cfg_.default_region, &why);
  if (!sender) {
    // Short codes and alphanumeric senders cannot subscribe; nothing to do.
    spdlog::warn("inbound {}: sender {} is not an address ({}); ignored", message.endpoint,
                 util::mask_phone(message.from), why);
    out.result = "ignored";
    return out;
  }
  const std::string subject = subscribers_.subject(*sender);
  out.to = sender->canonical();
  // The number they wrote to decides who answers (program, contact) and the
  // language of someone we do not know yet.
  const config::NumberSettings ours = cfg_.inbound.for_number(message.to);
  const auto record = subscribers_.record(*sender);
  const std::string status = record ? record->subscriber.status : "";
  // Opted out before this text is acted on (a number that is not stored
  // may have opted out too: it is then only in the stopped set).
  const bool was_stopped = record ? status == "stopped" : subscribers_.opted_out(*sender);
  // Their language helps read a request to stop one language ("no me
  // manden en castellano").
  const keywords::Intent intent = keywords_.classify(message.body, record ? record->subscriber.language : "");
  out.action = intent.action;
  const store::ConsentContext context{"keyword", message.body, message.provider_id, message.endpoint,
                                      cfg_.inbound.remember};
  if (intent.needs_review()) {
    out.review = std::string(keywords::to_string(intent.confidence)) + " " +
                 std::string(keywords::to_string(intent.action)) + ": " + intent.rule +
                 (intent.matched.empty() ? "" : " ('" + intent.matched + "')");
  }
  // Reply in the language we know them by, else the language they wrote in.
  std::string language = record ? record->subscriber.language : intent.language;
  if (language.empty()) language = ours.default_language;
  out.reply_language = language;

  bool in_inbox = false;
  auto to_inbox = [&] {
    const bool kept = inbox_.add(
        {"", "", sender->canonical(), subject, message.body, message.endpoint, message.provider_id, out.review},
        cfg_.inbound.remember);
    out.result = kept ? "inbox" : "duplicate";
    in_inbox = true;
  };

  switch (intent.action) {
    case keywords::Action::OptOut:
      switch (subscribers_.stop(*sender, intent.matched, context)) {
        case store::StopOutcome::Duplicate:
          out.result = "duplicate";
          // Its first attempt was the one confirmation of this opt-out
          // (subscriber_stop.lua keeps "stopped" in the seen key), and they
          // are still opted out: the same confirmation.
          if (was_stopped && first_result(message.provider_id) == "stopped") {
            out.reply = render(intent.needs_review() ? kReplyOptOutUnsure : kReplyOptOut, language, ours, {});
          }
          break;
        case store::StopOutcome::Already:
          out.result = "already_stopped";
          break;  // silence after the one confirmation
        case store::StopOutcome::Stopped:
          out.result = "opted_out";
          // Not sure it was meant: stopped all the same, and told how to stay.
          out.reply = render(intent.needs_review() ? kReplyOptOutUnsure : kReplyOptOut, language, ours, {});
          break;
      }
      break;

    case keywords::Action::OptIn: {
      const bool confirming = status == "pending";
      const bool pending = !confirming && status != "active" && ours.double_opt_in;
      std::optional<std::string> wanted;
      if (!intent.switch_to.empty()) {
        wanted = intent.switch_to;
      } else if (!record) {
        // A newcomer speaks the keyword's language, except that a keyword in
        // the deployment's own default (JOIN, printed on every flyer) says
        // nothing when it comes in on a number with its own language.
        const bool keyword_says = !intent.language.empty() && (intent.language != cfg_.inbound.default_language ||
                                                               ours.default_language == cfg_.inbound.default_language);
        wanted = keyword_says ? intent.language : ours.default_language;
      }
      const auto r = subscribers_.opt_in(*sender, wanted, ours.default_language, intent.add_tags, pending, context);
      if (r.outcome == store::ChangeOutcome::Duplicate) {
        out.result = "duplicate";
        // The first attempt replied whatever it did: the state it left says
        // which (pending: asked to confirm; active: welcomed). Stopped since:
        // nothing.
        if (status == "pending" || status == "active") {
          out.reply = render(status == "pending" ? kReplyConfirm : kReplyOptIn, language, ours, {});
        }
        break;
      }
      const std::string lang = wanted ? *wanted : language;
      out.result = pending ? "pending" : confirming ? "confirmed" : "joined";
      out.reply = render(pending ? kReplyConfirm : kReplyOptIn, lang, ours, {});
      out.reply_language = lang;
      break;
    }

    case keywords::Action::Help:
      if (!inbox_.mark_seen(message.provider_id, cfg_.inbound.remember)) {
        out.result = "duplicate";
        out.reply = render(kReplyHelp, language, ours, {});  // what the first attempt replied
        break;
      }
      out.result = "help";
      out.reply = render(kReplyHelp, language, ours, {});
      break;

    case keywords::Action::Language: {
      const auto r = subscribers_.set_language(*sender, intent.switch_to, context);
      if (r.outcome == store::ChangeOutcome::Unknown) {
        to_inbox();  // not a subscriber (or stopped): nothing to switch
      } else if (r.outcome == store::ChangeOutcome::Duplicate) {
        out.result = "duplicate";
        out.reply = render(kReplyLanguage, intent.switch_to, ours, {});  // as the first attempt
        out.reply_language = intent.switch_to;
      } else {
        out.result = "language";
        out.reply = render(kReplyLanguage, intent.switch_to, ours, {});
        out.reply_language = intent.switch_to;
      }
      break;
    }

    case keywords::Action::Topics: {
      const auto r = subscribers_.change_topics(*sender, intent.add_tags, intent.remove_tags, context);
      if (r.outcome == store::ChangeOutcome::Unknown) {
        to_inbox();
      } else if (r.outcome == store::ChangeOutcome::Duplicate) {
        out.result = "duplicate";
        const auto now = subscribers_.get(*sender);  // as the first attempt left them
        out.reply = render(kReplyTopics, language, ours, now ? now->tags : std::vector<std::string>{});
      } else {
        out.result = "topics";
        const auto now = subscribers_.get(*sender);
        out.reply = render(kReplyTopics, language, ours, now ? now->tags : std::vector<std::string>{});
      }
      break;
    }

    case keywords::Action::None:
      to_inbox();
      break;
  }
  // An unsure decision that was acted on is flagged for staff too, once (the
  // action itself already recognised a retried webhook).
  if (!out.review.empty() && !in_inbox && out.result != "duplicate") {
    inbox_.add({"", "", sender->canonical(), subject, message.body, message.endpoint, message.provider_id,
                out.review + "; " + out.result},
               std::chrono::seconds(0));
  }
  out.repeated = out.result == "duplicate" && out.reply.has_value();
  // Opted out once this text is acted on: this was their STOP, or they were
  // already and this was not an opt-in acted on now (which lifts it).
  const bool lifted = intent.action == keywords::Action::OptIn && out.result != "duplicate";
  out.stopped = out.result == "opted_out" || (was_stopped && !lifted);
  out.reply_to_stopped = intent.action == keywords::Action::OptOut || intent.action == keywords::Action::Help;
  gate_reply(out, *sender, subject);
  spdlog::info("inbound {} from {}: {} ({}, {}) -> {}{}", message.endpoint, *sender, keywords::to_string(intent.action),
               keywords::to_string(intent.confidence), intent.rule, out.result,
               out.reply ? (out.repeated ? ", the first attempt's reply again" : ", reply sent")
                         : (out.reply_withheld.empty() ? std::string() : ", reply withheld: " + out.reply_withheld));
  spdlog::debug("inbound text from {}: {}", *sender, message.body);
  return out;
}

}  // namespace broadcaster::inbound
