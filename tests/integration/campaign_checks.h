// What the integration tests of the send path check, in one place: a
// generated subscriber list and campaign, the campaign's counters in Redis,
// and what the provider simulator received.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>

#include "pipeline_fixture.h"
#include "store/redis_client.h"

namespace broadcaster::testing {

inline const char* const kCampaignLanguages[] = {"es", "en", "vi"};

/// Fictional-format numbers for a large generated set; they only reach the
/// local simulator.
inline std::string number(int i) { return "+1559" + std::to_string(2310000 + i); }

/// Templates in three languages, campaign "it-invite" (tag fresno) and a
/// CSV of `subscribers` numbers, all in the pipeline's directory.
inline void write_campaign_files(Pipeline& p, int subscribers) {
  p.dir().write("templates/invite/en.txt", "[en] Free workshop at {place}. Reply STOP to cancel.\n");
  p.dir().write("templates/invite/es.txt", "[es] Taller gratuito en {place}. Responda ALTO para cancelar.\n");
  p.dir().write("templates/invite/vi.txt", "[vi] Hội thảo miễn phí tại {place}. Trả lời STOP để hủy.\n");
  p.dir().write("campaign.yaml",
                "id: it-invite\ntemplate: invite\nchannel: sms\naudience:\n  languages: [es, en, vi]\n"
                "  tags: [fresno]\nvariables:\n  place: Fresno Central Library\n");
  std::string csv = "phone,language,tags\n";
  for (int i = 0; i < subscribers; ++i) csv += number(i) + "," + kCampaignLanguages[i % 3] + ",fresno\n";
  p.dir().write("subscribers.csv", csv);
}

/// Replaces the pipeline's subscribers.csv with the fictional numbers
/// +1 559 555 0180 to 0199 (tag fresno), the ones the simulator's
/// --status-callbacks answers by their last digits; `language_of` picks
/// each one's language from its last two digits.
template <class LanguageOf>
void write_receipt_subscribers(Pipeline& p, LanguageOf language_of) {
  std::string csv = "phone,language,tags\n";
  for (int i = 80; i <= 99; ++i) csv += "+155955501" + std::to_string(i) + "," + language_of(i) + ",fresno\n";
  p.dir().write("subscribers.csv", csv);
}

/// Imports the CSV and submits the campaign written by write_campaign_files.
inline void import_and_submit(Pipeline& p) {
  REQUIRE(p.run({"subscribers", "import", (p.dir().path() / "subscribers.csv").string()}) == 0);
  REQUIRE(p.run({"campaign", "submit", (p.dir().path() / "campaign.yaml").string()}) == 0);
}

inline std::map<std::string, std::string> stats_of(store::RedisClient& redis, const std::string& id) {
  return redis.command({"HGETALL", "it:{c:" + id + "}:stats"}).as_map();
}

inline long long field(const std::map<std::string, std::string>& m, const std::string& k) {
  const auto it = m.find(k);
  return it == m.end() ? 0 : std::stoll(it->second);
}

/// Every queued message has an outcome, and a sender has marked the campaign done.
inline bool campaign_done(store::RedisClient& redis, const std::string& id) {
  const auto status = redis.command({"HGET", "it:{c:" + id + "}:meta", "status"});
  if (status.is_nil() || status.as_string() != "done") return false;
  const auto s = stats_of(redis, id);
  const long long queued = field(s, "queued");
  return queued > 0 &&
         field(s, "sent") + field(s, "failed") + field(s, "skipped_stopped") + field(s, "dead_letter") == queued;
}

/// Messages the simulator accepted, per recipient.
inline std::map<std::string, int> received_per_number(const Pipeline& p) {
  std::map<std::string, int> received;
  for (const auto& m : p.sim_messages()) ++received[m.at("to").get<std::string>()];
  return received;
}

/// Checks that each of the first `subscribers` numbers got exactly one
/// message, except those in `at_most_once` (opted out meanwhile), which got
/// one or none.
inline void check_exactly_once(const Pipeline& p, int subscribers, const std::set<std::string>& at_most_once = {}) {
  const auto received = received_per_number(p);
  int none = 0, more = 0;
  for (int i = 0; i < subscribers; ++i) {
    const auto it = received.find(number(i));
    const int n = it == received.end() ? 0 : it->second;
    if (n > 1) ++more;
    if (n == 0 && !at_most_once.count(number(i))) ++none;
  }
  std::size_t strangers = received.size();  // numbers outside the list
  for (int i = 0; i < subscribers; ++i) strangers -= received.count(number(i));
  INFO("people with no message: " << none << ", with more than one: " << more);
  CHECK(none == 0);
  CHECK(more == 0);
  CHECK(strangers == 0);
}

}  // namespace broadcaster::testing
