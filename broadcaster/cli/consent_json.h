// A consent-log entry as JSON, shared by `subscribers history --json` and
// `consent export --json`, so both print the same shape.
#pragma once

#include <nlohmann/json.hpp>

#include "store/consent_log.h"

namespace broadcaster::cli {

/// The entry's fields; phone and text are null once erased on request.
inline nlohmann::json consent_entry_json(const store::ConsentEntry& e) {
  return nlohmann::json{{"id", e.id},
                        {"at", e.at},
                        {"action", e.action},
                        {"source", e.source},
                        {"subject", e.subject},
                        {"detail", e.detail},
                        {"provider_id", e.provider_id},
                        {"endpoint", e.endpoint},
                        {"phone", e.phone ? nlohmann::json(*e.phone) : nlohmann::json()},
                        {"text", e.text ? nlohmann::json(*e.text) : nlohmann::json()}};
}

}  // namespace broadcaster::cli
