// A campaign's schedule: parsing its three YAML forms into one rule, the
// occurrence generator, and the English description.
#include "schedule/recurrence.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "templates/value.h"
#include "util/errors.h"
#include "util/excerpt.h"

namespace broadcaster::schedule {

using namespace std::chrono;

namespace {

// Nothing in ten years means a rule that never fires (BYMONTHDAY=31 with
// FREQ=MONTHLY;INTERVAL=12 from February): stop looking.
constexpr days kHorizon{3653};
constexpr int kMaxInterval = 1000;
constexpr int kMaxCount = 10000;

// ---------------------------------------------------------------- text

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// "a", "a and b", "a, b and c".
std::string join_and(const std::vector<std::string>& items, std::string_view last = " and ") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? std::string(last) : std::string(", ");
    out += items[i];
  }
  return out;
}

std::string ordinal_word(int n) {
  static const char* const kWords[] = {"", "first", "second", "third", "fourth", "fifth"};
  if (n >= 1 && n <= 5) return kWords[n];
  if (n == -1) return "last";
  if (n <= -2 && n >= -5) return std::string(kWords[-n]) + " to last";
  return std::to_string(n);
}

// Day names as people write them in `every:`, and as RRULE's BYDAY does.
const std::map<std::string, weekday>& day_words() {
  static const std::map<std::string, weekday> kWords = {
      {"monday", Monday}, {"tuesday", Tuesday},   {"wednesday", Wednesday}, {"thursday", Thursday},
      {"friday", Friday}, {"saturday", Saturday}, {"sunday", Sunday},
  };
  return kWords;
}

const std::map<std::string, weekday>& rrule_days() {
  static const std::map<std::string, weekday> kDays = {
      {"MO", Monday}, {"TU", Tuesday},  {"WE", Wednesday}, {"TH", Thursday},
      {"FR", Friday}, {"SA", Saturday}, {"SU", Sunday},
  };
  return kDays;
}

// Monday = 0 ... Sunday = 6, the order of a week from WKST=MO.
unsigned iso_index(weekday d) { return (d.c_encoding() + 6) % 7; }

sys_days monday_of(sys_days d) { return d - days(iso_index(weekday(d))); }

sys_days first_of_month(sys_days d) {
  const year_month_day ymd(d);
  return sys_days(ymd.year() / ymd.month() / 1);
}

int month_index(sys_days d) {
  const year_month_day ymd(d);
  return static_cast<int>(ymd.year()) * 12 + static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
}

// ---------------------------------------------------------------- RRULE

const std::set<std::string>& refused_parts() {
  static const std::set<std::string> kRefused = {"BYSECOND", "BYYEARDAY", "BYWEEKNO", "BYMONTH",
                                                 "BYSETPOS", "WKST",      "RSCALE",   "SKIP"};
  return kRefused;
}

constexpr const char* kSupported = "FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYHOUR and BYMINUTE";

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

// An integer in [lo, hi], with an optional sign; nullopt otherwise.
std::optional<int> integer(std::string_view s, int lo, int hi) {
  if (s.empty() || s.size() > 6) return std::nullopt;
  std::size_t i = 0;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return std::nullopt;
  int n = 0;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
    n = n * 10 + (s[i] - '0');
  }
  n = negative ? -n : n;
  if (n < lo || n > hi) return std::nullopt;
  return n;
}

std::vector<int> int_list(std::string_view part, std::string_view value, int lo, int hi, bool allow_zero,
                          const std::function<ConfigError(const std::string&)>& fail) {
  std::vector<int> out;
  for (const auto& item : split(value, ',')) {
    const auto n = integer(item, lo, hi);
    if (!n || (!allow_zero && *n == 0)) {
      throw fail(std::string(part) + "=" + util::excerpt(value) + ": '" + util::excerpt(item) +
                 "' is not a number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                 (allow_zero ? "" : " (and not 0)"));
    }
    out.push_back(*n);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The parts of an RRULE, before they are checked against each other.
struct RRuleParts {
  std::optional<Frequency> frequency;
  int interval = 1;
  std::optional<int> count;
  std::optional<year_month_day> until_date;
  std::optional<TimePoint> until_instant;
  std::vector<WeekdayRule> by_day;
  std::vector<int> by_month_day;
  std::vector<int> hours;
  std::vector<int> minutes;
};

// YYYYMMDD or YYYYMMDDTHHMMSSZ.
void parse_until(const std::string& value, RRuleParts& out,
                 const std::function<ConfigError(const std::string&)>& fail) {
  const auto bad = [&](const std::string& why) {
    return fail("UNTIL=" + util::excerpt(value) + ": " + why +
                "; write a date (UNTIL=20270301, inclusive) or a UTC time (UNTIL=20270301T235959Z)");
  };
  if (value.size() != 8 && value.size() != 16 && value.size() != 15) throw bad("not a date");
  const auto y = integer(value.substr(0, 4), 1900, 9999);
  const auto m = integer(value.substr(4, 2), 1, 12);
  const auto d = integer(value.substr(6, 2), 1, 31);
  if (!y || !m || !d) throw bad("not a date");
  const year_month_day date{year(*y), month(static_cast<unsigned>(*m)), day(static_cast<unsigned>(*d))};
  if (!date.ok()) throw bad("no such date");
  if (value.size() == 8) {
    out.until_date = date;
    return;
  }
  if (value[8] != 'T') throw bad("not a date-time");
  const auto h = integer(value.substr(9, 2), 0, 23);
  const auto mi = integer(value.substr(11, 2), 0, 59);
  const auto s = integer(value.substr(13, 2), 0, 60);
  if (!h || !mi || !s) throw bad("not a date-time");
  if (value.size() == 15) throw bad("a local time without Z is ambiguous across zones");
  if (value[15] != 'Z') throw bad("not a UTC time");
  out.until_instant = sys_days(date) + hours(*h) + minutes(*mi) + seconds(*s);
}

std::vector<WeekdayRule> parse_by_day(const std::string& value,
                                      const std::function<ConfigError(const std::string&)>& fail) {
  std::vector<WeekdayRule> out;
  for (const auto& item : split(value, ',')) {
    if (item.size() < 2 || !rrule_days().count(item.substr(item.size() - 2))) {
      throw fail("BYDAY=" + util::excerpt(value) + ": '" + util::excerpt(item) +
                 "' is not a day; use MO, TU, WE, TH, FR, SA or SU, like 1TU or -1FR");
    }
    int ordinal = 0;
    if (item.size() > 2) {
      const auto n = integer(item.substr(0, item.size() - 2), -5, 5);
      if (!n || *n == 0) {
        throw fail("BYDAY=" + util::excerpt(value) + ": '" + util::excerpt(item) +
                   "' has an ordinal outside 1..5 and -5..-1");
      }
      ordinal = *n;
    }
    const WeekdayRule rule{rrule_days().at(item.substr(item.size() - 2)), ordinal};
    if (std::find(out.begin(), out.end(), rule) == out.end()) out.push_back(rule);
  }
  return out;
}

RRuleParts parse_rrule(std::string text, const std::function<ConfigError(const std::string&)>& fail) {
  text = upper(text);
  if (text.starts_with("RRULE:")) text = text.substr(6);
  RRuleParts out;
  std::set<std::string> seen;
  for (const auto& part : split(text, ';')) {
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw fail("'" + util::excerpt(part) + "' is not NAME=VALUE (RRULE parts are separated by ';')");
    }
    const std::string name = part.substr(0, eq), value = part.substr(eq + 1);
    if (refused_parts().count(name)) {
      throw fail(util::excerpt(name) +
                 " is not supported in schedules (weeks start on Monday); the parts supported are " +
                 std::string(kSupported));
    }
    if (!seen.insert(name).second) throw fail(util::excerpt(name) + " is given twice");
    if (value.empty()) throw fail(util::excerpt(name) + " has no value");
    if (name == "FREQ") {
      if (value == "DAILY") {
        out.frequency = Frequency::Daily;
      } else if (value == "WEEKLY") {
        out.frequency = Frequency::Weekly;
      } else if (value == "MONTHLY") {
        out.frequency = Frequency::Monthly;
      } else {
        throw fail("FREQ=" + util::excerpt(value) + " is not supported; use DAILY, WEEKLY or MONTHLY");
      }
    } else if (name == "INTERVAL") {
      const auto n = integer(value, 1, kMaxInterval);
      if (!n)
        throw fail("INTERVAL=" + util::excerpt(value) + ": must be a whole number from 1 to " +
                   std::to_string(kMaxInterval));
      out.interval = *n;
    } else if (name == "COUNT") {
      const auto n = integer(value, 1, kMaxCount);
      if (!n)
        throw fail("COUNT=" + util::excerpt(value) + ": must be a whole number from 1 to " + std::to_string(kMaxCount));
      out.count = *n;
    } else if (name == "UNTIL") {
      parse_until(value, out, fail);
    } else if (name == "BYDAY") {
      out.by_day = parse_by_day(value, fail);
    } else if (name == "BYMONTHDAY") {
      out.by_month_day = int_list(name, value, -31, 31, false, fail);
    } else if (name == "BYHOUR") {
      out.hours = int_list(name, value, 0, 23, true, fail);
    } else if (name == "BYMINUTE") {
      out.minutes = int_list(name, value, 0, 59, true, fail);
    } else {
      throw fail("unknown RRULE part '" + util::excerpt(name) + "'; the parts supported are " +
                 std::string(kSupported));
    }
  }
  if (!out.frequency) throw fail("the rrule has no FREQ; start it with FREQ=DAILY, FREQ=WEEKLY or FREQ=MONTHLY");
  if (out.count && (out.until_date || out.until_instant)) {
    throw fail("COUNT and UNTIL cannot both be given (RFC 5545): keep one");
  }
  if (*out.frequency != Frequency::Monthly) {
    for (const auto& d : out.by_day) {
      if (d.ordinal != 0) {
        throw fail("BYDAY with a number (like 1TU or -1FR) needs FREQ=MONTHLY");
      }
    }
  }
  if (*out.frequency == Frequency::Weekly && !out.by_month_day.empty()) {
    throw fail("BYMONTHDAY does not go with FREQ=WEEKLY (RFC 5545); use FREQ=MONTHLY");
  }
  return out;
}

// ---------------------------------------------------------------- YAML

// Runs `f`, turning a position-less Error into a ConfigError at `key`.
template <class F>
auto at_key(config::YamlMap& map, const std::string& key, F f) {
  try {
    return f();
  } catch (const ConfigError&) {
    throw;
  } catch (const Error& e) {
    throw map.error(key, e.what());
  }
}

year_month_day date_at(config::YamlMap& map, const std::string& key) {
  const auto text = map.required<std::string>(key);
  return at_key(map, key, [&] { return parse_date(text); });
}

TimeOfDay time_at(config::YamlMap& map, const std::string& key) {
  const auto text = map.required<std::string>(key);
  return at_key(map, key, [&] { return parse_time_of_day(text); });
}

}  // namespace

// ---------------------------------------------------------------- parse

Recurrence Recurrence::parse(const YAML::Node& node, const std::string& file) {
  config::YamlMap map(node, file, "'schedule'");
  return parse(map);
}

Recurrence Recurrence::parse(config::YamlMap& map) {
  Recurrence r;
  const char* const kForms[] = {"on", "every", "rrule"};
  std::string form;
  for (const char* key : kForms) {
    if (!map.has(key)) continue;
    if (!form.empty()) {
      throw map.error(
          key, "a schedule has one of 'on:' (once), 'every:' or 'rrule:', not both '" + form + ":' and '" + key + ":'");
    }
    form = key;
  }
  if (form.empty()) {
    throw config::error_at(map.file(), map.yaml(),
                           "a schedule needs 'on:' (once, with 'at:'), 'every:' (like [tuesday, thursday], with "
                           "'at:') or 'rrule:' (RFC 5545)");
  }

  if (map.has("time_zone")) {
    const auto zone = map.required<std::string>("time_zone");
    if (lower(zone) == kRecipientZone) {
      r.recipient_zone_ = true;
    } else if (!templates::is_time_zone(zone)) {
      throw map.error("time_zone", "unknown time zone '" + util::excerpt(zone) +
                                       "'; use an IANA name like America/Los_Angeles, or 'recipient' for each "
                                       "subscriber's own zone");
    } else {
      r.zone_ = zone;
    }
  }

  if (form == "on") {
    for (const char* key : {"from", "until"}) {
      if (map.has(key)) {
        throw map.error(key, std::string("'") + key + "' is for repeating schedules; a one-off ('on:') has none");
      }
    }
    r.frequency_ = Frequency::Once;
    r.from_ = date_at(map, "on");
    const TimeOfDay at = time_at(map, "at");
    r.hours_ = {at.hour};
    r.minutes_ = {at.minute};
    map.finish();
    return r;
  }

  if (map.has("from")) r.from_ = date_at(map, "from");

  if (form == "every") {
    const YAML::Node every = map.node("every");
    std::vector<YAML::Node> items;
    if (every.IsSequence()) {
      for (const auto& item : every) items.push_back(item);
    } else {
      items.push_back(every);
    }
    if (items.empty()) throw map.error("every", "'every' is empty; write day, weekday or day names like [tuesday]");
    for (const auto& item : items) {
      const std::string word = lower(config::scalar_as<std::string>(map.file(), item, "every"));
      const std::string singular = word.ends_with("s") ? word.substr(0, word.size() - 1) : word;
      if ((singular == "day" || singular == "weekday") && items.size() > 1) {
        throw config::error_at(map.file(), item,
                               "'" + util::excerpt(word) + "' stands alone: write 'every: " + singular +
                                   "', or list day names like [tuesday, thursday]");
      }
      if (singular == "day") {
        r.frequency_ = Frequency::Daily;
        r.every_word_ = "day";
      } else if (singular == "weekday") {
        r.frequency_ = Frequency::Weekly;
        r.every_word_ = "weekday";
        r.by_day_ = {{Monday, 0}, {Tuesday, 0}, {Wednesday, 0}, {Thursday, 0}, {Friday, 0}};
      } else if (day_words().count(singular)) {
        r.frequency_ = Frequency::Weekly;
        const WeekdayRule rule{day_words().at(singular), 0};
        if (std::find(r.by_day_.begin(), r.by_day_.end(), rule) == r.by_day_.end()) r.by_day_.push_back(rule);
      } else {
        throw config::error_at(
            map.file(), item,
            "'" + util::excerpt(word) + "' is not a day: write day, weekday, or English day names like tuesday");
      }
    }
    std::sort(r.by_day_.begin(), r.by_day_.end(),
              [](const WeekdayRule& a, const WeekdayRule& b) { return iso_index(a.day) < iso_index(b.day); });
    const TimeOfDay at = time_at(map, "at");
    r.hours_ = {at.hour};
    r.minutes_ = {at.minute};
    if (map.has("until")) {
      r.until_date_ = date_at(map, "until");
      if (r.from_ && sys_days(*r.until_date_) < sys_days(*r.from_)) {
        throw map.error("until",
                        "'until' (" + to_string(*r.until_date_) + ") is before 'from' (" + to_string(*r.from_) + ")");
      }
    }
    map.finish();
    return r;
  }

  // rrule:
  if (map.has("until")) {
    throw map.error("until", "with 'rrule:', put the last date in the rule: UNTIL=20270301");
  }
  const auto text = map.required<std::string>("rrule");
  const auto fail = [&](const std::string& message) -> ConfigError { return map.error("rrule", message); };
  RRuleParts parts = parse_rrule(text, fail);
  r.frequency_ = *parts.frequency;
  r.interval_ = parts.interval;
  r.count_ = parts.count;
  r.until_date_ = parts.until_date;
  r.until_instant_ = parts.until_instant;
  r.by_day_ = parts.by_day;
  r.by_month_day_ = parts.by_month_day;
  r.hours_ = parts.hours;
  r.minutes_ = parts.minutes;
  if (map.has("at")) {
    if (!r.hours_.empty() || !r.minutes_.empty()) {
      throw map.error("at", "the time is given twice: by 'at' and by BYHOUR/BYMINUTE in the rrule; keep one");
    }
    const TimeOfDay at = time_at(map, "at");
    r.hours_ = {at.hour};
    r.minutes_ = {at.minute};
  } else if (r.hours_.empty()) {
    throw fail("the rrule gives no hour: add BYHOUR=10;BYMINUTE=0 to it, or 'at: \"10:00\"' beside it");
  }
  if (r.minutes_.empty()) r.minutes_ = {0};
  if (!r.from_) {
    std::string why;
    if (r.interval_ > 1) why = "INTERVAL counts";
    if (r.count_) why = "COUNT counts";
    if (r.frequency_ == Frequency::Weekly && r.by_day_.empty()) why = "without BYDAY, the day of the week comes";
    if (r.frequency_ == Frequency::Monthly && r.by_day_.empty() && r.by_month_day_.empty()) {
      why = "without BYDAY or BYMONTHDAY, the day of the month comes";
    }
    if (!why.empty()) throw fail("add 'from:' (the first date, like 2026-12-01): " + why + " from it");
  }
  if (r.from_ && r.until_date_ && sys_days(*r.until_date_) < sys_days(*r.from_)) {
    throw fail("UNTIL (" + to_string(*r.until_date_) + ") is before 'from' (" + to_string(*r.from_) + ")");
  }
  map.finish();
  return r;
}

// ---------------------------------------------------------------- generator

std::vector<LocalDateTime> Recurrence::occurrences_in(sys_days first) const {
  std::vector<sys_days> dates;
  const auto matches_by_day = [&](sys_days d) {
    if (by_day_.empty()) return true;
    const weekday wd(d);
    for (const auto& rule : by_day_) {
      if (rule.day != wd) continue;
      if (rule.ordinal == 0) return true;
      const year_month_day ymd(d);
      const auto last = static_cast<unsigned>((ymd.year() / ymd.month() / std::chrono::last).day());
      const auto dom = static_cast<unsigned>(ymd.day());
      const int nth = rule.ordinal > 0 ? static_cast<int>((dom - 1) / 7 + 1) : -static_cast<int>((last - dom) / 7 + 1);
      if (nth == rule.ordinal) return true;
    }
    return false;
  };
  const auto matches_month_day = [&](sys_days d) {
    if (by_month_day_.empty()) return true;
    const year_month_day ymd(d);
    const auto last = static_cast<int>(static_cast<unsigned>((ymd.year() / ymd.month() / std::chrono::last).day()));
    const auto dom = static_cast<int>(static_cast<unsigned>(ymd.day()));
    return std::any_of(by_month_day_.begin(), by_month_day_.end(),
                       [&](int n) { return n == dom || n == dom - last - 1; });
  };

  switch (frequency_) {
    case Frequency::Once:
      dates.push_back(sys_days(*from_));
      break;
    case Frequency::Daily:
      if (matches_by_day(first) && matches_month_day(first)) dates.push_back(first);
      break;
    case Frequency::Weekly:
      if (by_day_.empty()) {
        dates.push_back(first + days(iso_index(weekday(sys_days(*from_)))));
      } else {
        for (const auto& rule : by_day_) dates.push_back(first + days(iso_index(rule.day)));
      }
      break;
    case Frequency::Monthly: {
      const year_month_day ymd(first);
      const auto length = static_cast<int>(static_cast<unsigned>((ymd.year() / ymd.month() / std::chrono::last).day()));
      for (int dom = 1; dom <= length; ++dom) {
        const sys_days d = first + days(dom - 1);
        bool wanted;
        if (!by_month_day_.empty()) {
          wanted = matches_month_day(d) && matches_by_day(d);
        } else if (!by_day_.empty()) {
          wanted = matches_by_day(d);
        } else {
          wanted = static_cast<unsigned>(from_->day()) == static_cast<unsigned>(dom);
        }
        if (wanted) dates.push_back(d);
      }
      break;
    }
  }
  std::sort(dates.begin(), dates.end());
  std::vector<LocalDateTime> out;
  for (const sys_days d : dates) {
    for (const int h : hours_) {
      for (const int m : minutes_) out.push_back({year_month_day(d), h, m});
    }
  }
  return out;
}

bool Recurrence::before_end(const LocalDateTime& local, TimePoint instant) const {
  if (until_date_ && sys_days(local.date) > sys_days(*until_date_)) return false;
  if (until_instant_ && instant > *until_instant_) return false;
  return true;
}

TimePoint Recurrence::instant_of(const LocalDateTime& occurrence, const std::string& zone) const {
  return to_instant(occurrence, zone_or(zone));
}

std::vector<LocalDateTime> Recurrence::next_occurrences(TimePoint t, const std::string& zone, std::size_t n) const {
  std::vector<LocalDateTime> out;
  if (n == 0) return out;
  const std::string& z = zone_or(zone);
  const sys_days today = sys_days(to_local(t, z).date);

  if (frequency_ == Frequency::Once) {
    const LocalDateTime once{*from_, hours_.front(), minutes_.front()};
    if (to_instant(once, z) > t) out.push_back(once);
    return out;
  }

  // The period to start from: the one holding `from` when COUNT must count
  // from there, else the one holding the day before `t` (an occurrence on
  // an earlier wall date cannot be after `t`, whatever the clocks did).
  const auto period_of = [&](sys_days d) {
    switch (frequency_) {
      case Frequency::Weekly:
        return monday_of(d);
      case Frequency::Monthly:
        return first_of_month(d);
      default:
        return d;
    }
  };
  const auto next_period = [&](sys_days p, int steps) {
    switch (frequency_) {
      case Frequency::Weekly:
        return p + days(7 * steps);
      case Frequency::Monthly: {
        const year_month_day ymd(p);
        return sys_days(year_month_day(ymd.year() / ymd.month() / 1) + months(steps));
      }
      default:
        return p + days(steps);
    }
  };
  const auto periods_between = [&](sys_days a, sys_days b) {  // a <= b, both period starts
    switch (frequency_) {
      case Frequency::Weekly:
        return static_cast<int>((b - a).count() / 7);
      case Frequency::Monthly:
        return month_index(b) - month_index(a);
      default:
        return static_cast<int>((b - a).count());
    }
  };

  sys_days period;
  if (count_) {
    period = period_of(sys_days(*from_));
  } else {
    sys_days start = today - days(1);
    if (from_ && sys_days(*from_) > start) start = sys_days(*from_);
    period = period_of(start);
    if (from_) {
      const int k = periods_between(period_of(sys_days(*from_)), period);
      if (k % interval_ != 0) period = next_period(period, interval_ - k % interval_);
    }
  }

  int counted = 0;
  // Ten years past whichever is later: now, or the first date.
  const sys_days horizon = std::max(today, from_ ? sys_days(*from_) : today) + kHorizon;
  for (; period <= horizon; period = next_period(period, interval_)) {
    struct Candidate {
      LocalDateTime local;
      TimePoint instant;
    };
    std::vector<Candidate> candidates;
    for (const auto& local : occurrences_in(period)) {
      if (from_ && sys_days(local.date) < sys_days(*from_)) continue;
      candidates.push_back({local, to_instant(local, z)});
    }
    // A daylight-saving gap can put 02:30 (read as 03:30) after 03:00:
    // order by instant, and send once per instant.
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.instant < b.instant; });
    std::optional<TimePoint> previous;
    for (const auto& c : candidates) {
      if (!before_end(c.local, c.instant)) return out;
      if (count_ && ++counted > *count_) return out;
      if (previous && c.instant == *previous) continue;
      previous = c.instant;
      if (c.instant > t) {
        out.push_back(c.local);
        if (out.size() == n) return out;
      }
    }
  }
  return out;
}

std::optional<LocalDateTime> Recurrence::next_after(TimePoint t, const std::string& zone) const {
  auto next = next_occurrences(t, zone, 1);
  if (next.empty()) return std::nullopt;
  return next.front();
}

// ---------------------------------------------------------------- describe

std::string Recurrence::describe_days() const {
  std::vector<std::string> names;
  for (const auto& rule : by_day_) {
    const std::string name(day_name(rule.day));
    names.push_back(rule.ordinal == 0 ? name : "the " + ordinal_word(rule.ordinal) + " " + name);
  }
  return join_and(names);
}

std::string Recurrence::describe() const {
  std::string out;
  const auto plural = [&](const char* unit) {
    return interval_ == 1 ? std::string("every ") + unit : fmt::format("every {} {}s", interval_, unit);
  };
  switch (frequency_) {
    case Frequency::Once:
      out = fmt::format("once on {} {}", day_name(weekday(sys_days(*from_))), to_string(*from_));
      break;
    case Frequency::Daily:
      if (every_word_ == "day" || (by_day_.empty() && by_month_day_.empty())) {
        out = plural("day");
      } else if (interval_ == 1 && by_month_day_.empty()) {
        out = "every " + describe_days();
      } else {
        out = plural("day");
        std::vector<std::string> only;
        if (!by_day_.empty()) only.push_back(describe_days());
        if (!by_month_day_.empty()) {
          std::vector<std::string> days_text;
          for (int n : by_month_day_) days_text.push_back(n > 0 ? std::to_string(n) : ordinal_word(n));
          only.push_back("day " + join_and(days_text, " or ") + " of the month");
        }
        out += " (" + join_and(only) + " only)";
      }
      break;
    case Frequency::Weekly:
      if (every_word_ == "weekday") {
        out = "every weekday (Monday to Friday)";
      } else if (by_day_.empty()) {
        out = plural("week") + " on " + std::string(day_name(weekday(sys_days(*from_))));
      } else if (interval_ == 1) {
        out = "every " + describe_days();
      } else {
        out = plural("week") + " on " + describe_days();
      }
      break;
    case Frequency::Monthly: {
      out = plural("month") + " on ";
      std::vector<std::string> days_text;
      for (int n : by_month_day_)
        days_text.push_back(n > 0 ? "day " + std::to_string(n) : "the " + ordinal_word(n) + " day");
      if (!by_month_day_.empty()) {
        out += join_and(days_text);
        if (!by_day_.empty()) out += " when it is " + describe_days();
      } else if (!by_day_.empty()) {
        out += describe_days();
      } else {
        out += "day " + std::to_string(static_cast<unsigned>(from_->day()));
      }
      break;
    }
  }
  std::vector<std::string> times;
  for (const int h : hours_) {
    for (const int m : minutes_) times.push_back(TimeOfDay{h, m}.to_string());
  }
  out += " at " + join_and(times);
  if (!zone_.empty()) {
    out += " " + zone_;
  } else if (recipient_zone_) {
    out += " in each recipient's time zone";
  } else {
    out += " in the default time zone";
  }
  if (from_ && frequency_ != Frequency::Once) out += " from " + to_string(*from_);
  if (until_date_) out += " until " + to_string(*until_date_);
  if (until_instant_) {
    const auto day_start = floor<days>(*until_instant_);
    const hh_mm_ss hms(floor<seconds>(*until_instant_ - day_start));
    out += fmt::format(" until {} {:02}:{:02}:{:02} UTC", to_string(year_month_day(day_start)), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
  }
  if (count_) out += fmt::format(", {} time{}", *count_, *count_ == 1 ? "" : "s");
  return out;
}

}  // namespace broadcaster::schedule
