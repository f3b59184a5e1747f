// A subscriber as stored: address, language, tags, status and consent.
#pragma once

#include <string>
#include <vector>

#include "util/address.h"

namespace broadcaster::store {

struct Subscriber {
  util::Address address;          ///< a phone number, email address or Telegram chat
  std::string language;           ///< BCP 47, lower-case ("es", "hmn")
  std::vector<std::string> tags;  ///< lower-case, sorted ("fresno", "daca")
  std::string status = "active";  ///< "active", "pending" (asked to confirm) or "stopped"
  std::string consent_source;     ///< how they joined ("import", "keyword", "staff")
  std::string consent_at;         ///< when, ISO 8601 UTC
  /// Their IANA time zone when staff know it (CSV column time_zone); ""
  /// leaves it to the area code (SubscriberStore::set_time_zones).
  std::string time_zone = {};
};

/// A stored subscriber with the times the store keeps about them.
struct SubscriberRecord {
  Subscriber subscriber;
  std::string created_at;     ///< first stored, ISO 8601 UTC
  std::string updated_at;     ///< last change
  std::string stopped_at;     ///< when they opted out ("" unless stopped)
  std::string stop_reason;    ///< the keyword or provider code that stopped them
  std::string pending_since;  ///< when double opt-in asked them to confirm ("" otherwise)
  bool footer_due = false;    ///< their next campaign message carries the opt-out footer
};

/// Tags as stored in the subscriber hash: sorted, comma-separated.
std::string join_tags(const std::vector<std::string>& tags);
/// The inverse of join_tags.
std::vector<std::string> split_tags(const std::string& csv);

}  // namespace broadcaster::store
