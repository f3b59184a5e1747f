// A configuration for inbound tests: the shipped keywords.yaml and reply
// templates, a real redis-server, and settings a test can adjust.
#pragma once

#include <string>

#include "config/config.h"
#include "keywords/keyword_set.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"

namespace broadcaster::testing {

/// Writes broadcaster.yaml into a temp dir with `inbound_extra` appended to
/// the inbound section (indented two spaces), and loads it.
inline config::Config inbound_config(const TempDir& dir, const RedisServer& redis,
                                     const std::string& inbound_extra = "") {
  const std::string yaml = "redis: {host: 127.0.0.1, port: " + std::to_string(redis.port()) +
                           ", prefix: \"in:\"}\n"
                           "templates_dir: " BC_SOURCE_DIR "/templates\n"
                           "fallback_language: en\n"
                           // a channel for `replies: outbound` to name
                           "channels:\n  sms: {type: console}\n"
                           "inbound:\n"
                           "  keywords: " BC_SOURCE_DIR "/config/keywords.yaml\n"
                           "  program: Valley Immigrant Legal Network\n"
                           "  contact: \"(559) 555-0100\"\n" +
                           inbound_extra;
  return config::load_config(dir.write("broadcaster.yaml", yaml));
}

inline keywords::KeywordSet shipped_keywords() {
  return keywords::KeywordSet::load(BC_SOURCE_DIR "/config/keywords.yaml");
}

}  // namespace broadcaster::testing
