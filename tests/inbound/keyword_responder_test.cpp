// The keyword flow with the shipped keywords and templates on a real Redis:
// what a subscriber texting in would see, and what the store records.
#include "inbound/keyword_responder.h"

#include <catch2/catch.hpp>

#include "inbound/inbound_fixture.h"
#include "store/consent_log.h"
#include "store/inbox.h"

using namespace broadcaster;
using inbound::KeywordResponder;

namespace {

struct Fixture {
  explicit Fixture(const std::string& extra = "")
      : cfg(testing::inbound_config(dir, server, extra)),
        redis(server.endpoint()),
        responder(cfg, testing::shipped_keywords(), redis, std::nullopt, [this] { return now; }) {}

  inbound::Outcome text(const std::string& from, const std::string& body, const std::string& to = "+15595550100") {
    return responder.handle(channels::InboundMessage{"twilio", from, to, body, "SM" + std::to_string(++sid)});
  }
  std::vector<std::string> history(const std::string& number) {
    store::SubscriberStore subs(redis, store::Keys("in:"));
    std::vector<std::string> out;
    for (const auto& e :
         store::ConsentLog(redis, store::Keys("in:")).history(subs.subject(*util::Phone::parse(number, "US")))) {
      out.push_back(e.action + ":" + e.detail);
    }
    return out;
  }
  std::optional<store::Subscriber> get(const std::string& number) {
    return store::SubscriberStore(redis, store::Keys("in:")).get(*util::Phone::parse(number, "US"));
  }

  testing::TempDir dir;
  testing::RedisServer server;
  config::Config cfg;
  store::RedisClient redis;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  KeywordResponder responder;
  int sid = 0;
};

bool contains(const std::optional<std::string>& text, const std::string& part) {
  return text && text->find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("join in Spanish, switch to English, stop: replies in the right language, then silence") {
  Fixture f;
  const std::string me = "+15595550142";
  auto out = f.text(me, " Únete fresno!");
  CHECK(out.result == "joined");
  CHECK(contains(out.reply, "Valley Immigrant Legal Network"));
  CHECK(contains(out.reply, "ALTO"));  // Spanish opt-out word in the confirmation
  REQUIRE(f.get(me));
  CHECK(f.get(me)->language == "es");
  CHECK(f.get(me)->tags == std::vector<std::string>{"fresno"});

  out = f.text(me, "ENGLISH");
  CHECK(out.result == "language");
  CHECK(contains(out.reply, "STOP"));
  CHECK(f.get(me)->language == "en");

  out = f.text(me, "Please stop texting me.");
  CHECK(out.result == "opted_out");
  CHECK(out.reply.has_value());
  CHECK(f.get(me)->status == "stopped");

  // Exactly one confirmation: then nothing, whatever they send.
  out = f.text(me, "STOP");
  CHECK(out.result == "already_stopped");
  CHECK_FALSE(out.reply);
  out = f.text(me, "why did you stop?");
  CHECK(out.result == "inbox");
  CHECK_FALSE(out.reply);
  out = f.text(me, "ESPAÑOL");
  CHECK_FALSE(out.reply);

  CHECK(f.history(me) == std::vector<std::string>{"opt_in:lang=es +fresno", "language:es -> en", "opt_out:stop texting",
                                                  "opt_out:stop (already opted out)"});
}

TEST_CASE("texts that only contain a stop word are not opt-outs") {
  Fixture f;
  const std::string me = "+15595550143";
  REQUIRE(f.text(me, "JOIN").result == "joined");
  for (const char* text : {"what time does the workshop end?", "Stopwatch", "Can you stop by the office?"}) {
    const auto out = f.text(me, text);
    CHECK(out.result == "inbox");
    CHECK_FALSE(out.reply);
  }
  CHECK(f.get(me)->status == "active");
  CHECK(store::Inbox(f.redis, store::Keys("in:")).latest(10).size() == 3);
}

TEST_CASE("a retried webhook is acted on once and carries the reply its first attempt chose") {
  // Whether that reply goes out again is reply_dispatch's decision (it
  // remembers what the first attempt chose); the responder only says what it was.
  Fixture f;
  const channels::InboundMessage stop{"twilio", "+15595550144", "+15595550100", "ALTO", "SMfixed"};
  REQUIRE(f.text("+15595550144", "ÚNETE").result == "joined");
  const auto first = f.responder.handle(stop);
  CHECK(first.result == "opted_out");
  REQUIRE(first.reply);
  CHECK(first.stopped);
  CHECK(first.reply_to_stopped);
  CHECK_FALSE(first.repeated);
  const auto again = f.responder.handle(stop);
  CHECK(again.result == "duplicate");
  CHECK(again.repeated);
  CHECK(again.reply == first.reply);
  // Acted on once: one opt-out in the consent log.
  const auto subject = store::SubscriberStore(f.redis, store::Keys("in:")).subject(*util::Phone::parse("+15595550144", "US"));
  CHECK(store::ConsentLog(f.redis, store::Keys("in:")).history(subject).size() == 2);

  // A STOP from a number already opted out gets no confirmation, and nor does its retry.
  const channels::InboundMessage stop2{"twilio", "+15595550144", "+15595550100", "STOP", "SMfixed2"};
  CHECK(f.responder.handle(stop2).result == "already_stopped");
  const auto again2 = f.responder.handle(stop2);
  CHECK(again2.result == "duplicate");
  CHECK_FALSE(again2.reply);

  const channels::InboundMessage help{"twilio", "+15595550144", "+15595550100", "AYUDA", "SMhelp"};
  const auto help1 = f.responder.handle(help);
  REQUIRE(help1.reply.has_value());
  const auto help2 = f.responder.handle(help);
  CHECK(help2.result == "duplicate");
  CHECK(help2.reply == help1.reply);

  // A JOIN's retry carries the welcome; after a STOP in between, the
  // responder says the number is stopped and the welcome is not owed to it.
  const channels::InboundMessage join{"twilio", "+15595550146", "+15595550100", "JOIN", "SMjoin"};
  const auto joined = f.responder.handle(join);
  REQUIRE(joined.result == "joined");
  CHECK_FALSE(joined.stopped);
  CHECK(f.responder.handle(join).reply == joined.reply);
  REQUIRE(f.text("+15595550146", "STOP").result == "opted_out");
  const auto late = f.responder.handle(join);
  CHECK(late.result == "duplicate");
  CHECK_FALSE(late.reply);
  CHECK(late.stopped);
  CHECK_FALSE(late.reply_to_stopped);
}

TEST_CASE("a number configured for double opt-in must confirm before it gets campaigns") {
  Fixture f("  numbers:\n    \"+15595550100\": {double_opt_in: true}\n");
  const std::string me = "+15595550145";
  auto out = f.text(me, "JOIN ES");
  CHECK(out.result == "pending");
  CHECK(contains(out.reply, "SI"));  // the Spanish confirm word
  CHECK(f.get(me)->status == "pending");
  CHECK(store::SubscriberStore(f.redis, store::Keys("in:")).count({}, {}) == 0);
  out = f.text(me, "si");
  CHECK(out.result == "confirmed");
  CHECK(f.get(me)->status == "active");
  CHECK(store::SubscriberStore(f.redis, store::Keys("in:")).count({"es"}, {}) == 1);
  // Another of our numbers has no double opt-in.
  CHECK(f.text("+15595550146", "JOIN", "+15595550101").result == "joined");
}

TEST_CASE("HELP answers in the subscriber's language with program, contact and how to stop") {
  Fixture f;
  REQUIRE(f.text("+15595550147", "加入").result == "joined");
  const auto out = f.text("+15595550147", "帮助");
  CHECK(out.result == "help");
  CHECK(contains(out.reply, "(559) 555-0100"));
  CHECK(contains(out.reply, "退订"));
  // A stranger asking for help gets it in the language they wrote in.
  CHECK(contains(f.text("+15595550148", "ayuda").reply, "ALTO"));
}

TEST_CASE("the number a text came in on decides the program, contact and a newcomer's language") {
  Fixture f(
      "  numbers:\n"
      "    \"+15595550111\": {program: Centro Legal de Merced, contact: \"(209) 555-0123\", default_language: es}\n");
  // JOIN is on every flyer: on the Merced number it means its language, Spanish.
  auto out = f.text("+15595550150", "JOIN", "+15595550111");
  CHECK(out.result == "joined");
  CHECK(f.get("+15595550150")->language == "es");
  CHECK(contains(out.reply, "Centro Legal de Merced"));
  CHECK_FALSE(contains(out.reply, "Valley Immigrant Legal Network"));
  out = f.text("+15595550150", "AYUDA", "+15595550111");
  CHECK(contains(out.reply, "(209) 555-0123"));
  // The shared number still signs for the network, in the section's language.
  out = f.text("+15595550151", "JOIN", "+15595550100");
  CHECK(contains(out.reply, "Valley Immigrant Legal Network"));
  CHECK(f.get("+15595550151")->language == "en");
  // A keyword in another language than the deployment's says who is writing.
  REQUIRE(f.text("+15595550152", "加入", "+15595550111").result == "joined");
  CHECK(f.get("+15595550152")->language == "zh");
}

TEST_CASE("topics are followed and dropped by keyword") {
  Fixture f;
  const std::string me = "+15595550149";
  REQUIRE(f.text(me, "JOIN").result == "joined");
  auto out = f.text(me, "FRESNO");
  CHECK(out.result == "topics");
  CHECK(contains(out.reply, "fresno"));
  CHECK(f.get(me)->tags == std::vector<std::string>{"fresno"});
  out = f.text(me, "REMOVE FRESNO");
  CHECK(out.result == "topics");
  CHECK(f.get(me)->tags.empty());
}

TEST_CASE("auto-replies are capped per number and hour, and only go to configured regions") {
  Fixture f("  replies_per_hour: 2\n  reply_regions: [US]\n");
  const std::string me = "+15595550150";
  CHECK(f.text(me, "HELP").reply.has_value());
  CHECK(f.text(me, "HELP").reply.has_value());
  const auto third = f.text(me, "HELP");
  CHECK_FALSE(third.reply);
  CHECK(third.reply_withheld.find("cap") != std::string::npos);
  // The cap never withholds the confirmation of an opt-out.
  const auto stop = f.text(me, "STOP");
  CHECK(stop.result == "opted_out");
  CHECK(stop.reply.has_value());
  CHECK(stop.reply_withheld.empty());
  CHECK(f.text(me, "JOIN").reply_withheld.find("cap") != std::string::npos);  // other replies still are
  f.now += std::chrono::hours(1);
  CHECK(f.text(me, "HELP").reply.has_value());

  // A UK number can join (consent is consent) but gets no reply: SMS pumping
  // runs up the bill through replies to far-away numbers.
  const auto uk = f.text("+442079460123", "JOIN");
  CHECK(uk.result == "joined");
  CHECK_FALSE(uk.reply);
  CHECK(uk.reply_withheld.find("region GB") != std::string::npos);
}

TEST_CASE("a sender that is not a phone number is ignored") {
  Fixture f;
  const auto out = f.text("12345", "STOP");
  CHECK(out.result == "ignored");
  CHECK_FALSE(out.reply);
}

TEST_CASE("a probable opt-out stops messages, says how to stay subscribed and is flagged for staff") {
  Fixture f;
  const std::string me = "+15595550143";
  REQUIRE(f.text(me, "JOIN").result == "joined");
  const auto out = f.text(me, "stopp");
  CHECK(out.result == "opted_out");
  CHECK(f.get(me)->status == "stopped");
  CHECK(contains(out.reply, "JOIN"));  // the way back, from keyword-opt-out-unsure
  CHECK(out.review.find("probable opt_out") == 0);
  store::Inbox inbox(f.redis, store::Keys("in:"));
  const auto flagged = inbox.latest(10, "", true);
  REQUIRE(flagged.size() == 1);
  CHECK(flagged[0].text == "stopp");
  CHECK_THAT(flagged[0].review, Catch::Matchers::Contains("'stop'") && Catch::Matchers::Contains("opted_out"));

  // A certain STOP from someone else gets the plain confirmation, unflagged.
  const std::string other = "+15595550144";
  REQUIRE(f.text(other, "JOIN").result == "joined");
  const auto sure = f.text(other, "STOP");
  CHECK(sure.result == "opted_out");
  CHECK_FALSE(contains(sure.reply, "JOIN"));
  CHECK(sure.review.empty());
  CHECK(inbox.latest(10, "", true).size() == 1);
}

TEST_CASE("a question about stopping goes to the inbox flagged, with no reply and no opt-out") {
  Fixture f;
  const std::string me = "+15595550145";
  REQUIRE(f.text(me, "ÚNETE").result == "joined");
  const auto out = f.text(me, "¿Cómo me doy de baja?");
  CHECK(out.result == "inbox");
  CHECK_FALSE(out.reply);
  CHECK(f.get(me)->status == "active");
  store::Inbox inbox(f.redis, store::Keys("in:"));
  const auto flagged = inbox.latest(10, "", true);
  REQUIRE(flagged.size() == 1);
  CHECK_THAT(flagged[0].review, Catch::Matchers::StartsWith("possible none"));
  // A plain question is kept but not flagged.
  REQUIRE(f.text(me, "¿A qué hora es el taller?").result == "inbox");
  CHECK(inbox.latest(10).size() == 2);
  CHECK(inbox.latest(10, "", true).size() == 1);
}

TEST_CASE("a text that is not an opt-out although it says stop changes nothing") {
  Fixture f;
  const std::string me = "+15595550146";
  REQUIRE(f.text(me, "ÚNETE").result == "joined");
  CHECK(f.text(me, "don't stop texting me about the clinics").result == "inbox");
  CHECK(f.get(me)->status == "active");
  const auto out = f.text(me, "stop sending me messages in Spanish, English please");
  CHECK(out.result == "language");
  CHECK(f.get(me)->status == "active");
  CHECK(f.get(me)->language == "en");
}
