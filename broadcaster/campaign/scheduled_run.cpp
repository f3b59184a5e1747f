// Run ids, occurrence text and the instants of a scheduled campaign's runs.
#include "campaign/scheduled_run.h"

#include <fmt/format.h>

#include <cstdint>

#include "util/errors.h"

namespace broadcaster::campaign {

namespace {

constexpr std::size_t kSuffixLength = 15;  // "--YYYYMMDD-HHMM"
constexpr std::size_t kKeptPrefix = 40;    // + '-' + 8 hex digits = 49

std::uint32_t fnv1a(std::string_view text) {
  std::uint32_t h = 2166136261u;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

std::string zone_for(const std::string& zone, std::string_view recipient_stand_in) {
  return zone == schedule::kRecipientZone ? std::string(recipient_stand_in) : zone;
}

}  // namespace

std::string run_id(const std::string& campaign_id, const schedule::LocalDateTime& occurrence) {
  std::string base = campaign_id;
  if (base.size() > kMaxCampaignIdLength - kSuffixLength) {
    base = fmt::format("{}-{:08x}", base.substr(0, kKeptPrefix), fnv1a(campaign_id));
  }
  return fmt::format("{}--{:04}{:02}{:02}-{:02}{:02}", base, static_cast<int>(occurrence.date.year()),
                     static_cast<unsigned>(occurrence.date.month()), static_cast<unsigned>(occurrence.date.day()),
                     occurrence.hour, occurrence.minute);
}

std::string occurrence_text(const schedule::LocalDateTime& occurrence) {
  return schedule::to_string(occurrence.date) + "T" + occurrence.time().to_string();
}

schedule::LocalDateTime parse_occurrence_text(std::string_view text) {
  const auto t = text.find('T');
  if (t == std::string_view::npos || text.size() != 16) {
    throw Error("scheduled occurrence '" + std::string(text) + "' is not YYYY-MM-DDTHH:MM");
  }
  schedule::LocalDateTime out;
  out.date = schedule::parse_date(text.substr(0, t));
  const schedule::TimeOfDay time = schedule::parse_time_of_day(text.substr(t + 1));
  out.hour = time.hour;
  out.minute = time.minute;
  return out;
}

std::string schedule_zone(const schedule::Recurrence& rule, const std::string& default_zone) {
  if (rule.per_recipient_zone()) return std::string(schedule::kRecipientZone);
  return rule.zone_or(default_zone);
}

schedule::TimePoint claim_instant(const schedule::LocalDateTime& occurrence, const std::string& zone) {
  return schedule::to_instant(occurrence, zone_for(zone, kEarliestZone));
}

schedule::TimePoint last_instant(const schedule::LocalDateTime& occurrence, const std::string& zone) {
  return schedule::to_instant(occurrence, zone_for(zone, kLatestZone));
}

std::optional<schedule::LocalDateTime> next_occurrence(const schedule::Recurrence& rule, schedule::TimePoint after,
                                                       const std::string& default_zone) {
  return rule.next_after(after, zone_for(schedule_zone(rule, default_zone), kEarliestZone));
}

store::ScheduledOccurrence registry_occurrence(const schedule::LocalDateTime& occurrence, const std::string& zone) {
  return {occurrence_text(occurrence), zone, store::epoch_ms(claim_instant(occurrence, zone))};
}

}  // namespace broadcaster::campaign
