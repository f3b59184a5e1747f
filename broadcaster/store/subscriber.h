// A subscriber as stored: number, language, tags, status and consent.
#pragma once

#include <string>
#include <vector>

#include "util/phone.h"

namespace broadcaster::store {

struct Subscriber {
  util::Phone phone;
  std::string language;           ///< BCP 47, lower-case ("es", "hmn")
  std::vector<std::string> tags;  ///< lower-case, sorted ("fresno", "daca")
  std::string status = "active";  ///< "active" or "stopped"
  std::string consent_source;     ///< how they joined ("import", "keyword", "web form")
  std::string consent_at;         ///< when, ISO 8601 UTC
};

/// Tags as stored in the subscriber hash: sorted, comma-separated.
std::string join_tags(const std::vector<std::string>& tags);
/// The inverse of join_tags.
std::vector<std::string> split_tags(const std::string& csv);

}  // namespace broadcaster::store
