// The Lua scripts broadcaster runs in Redis, compiled into the binary.
// Design: the sources live in store/scripts/*.lua and are embedded at build
// time (cmake/EmbedFiles.cmake); each Script knows its SHA1 so callers run
// it with EVALSHA and fall back to EVAL only after a NOSCRIPT.
// campaign_finish and campaign_control start with the text of
// scripts/campaign_common.lua (functions they share), so one Lua file
// defines what "settled" means and how the purge clock starts.
#pragma once

#include "store/script.h"

namespace broadcaster::store {

struct Scripts {
  Script subscriber_change;
  Script subscriber_stop;
  Script subscriber_forget;
  Script inbox_add;
  Script reply_quota;
  Script enqueue;
  Script record_outcome;
  Script send_begin;
  Script claim_hold;
  Script consumer_prune;
  Script dead_letter;
  Script campaign_finish;
  Script campaign_forget;
  Script gcra;
  Script serve_heartbeat;
  Script subscriber_gate;
  Script defer;
  Script undefer;
  Script campaign_approve;
  Script campaign_control;
  Script schedule_claim;
  Script schedule_complete;
  Script delivery_receipt;
  Script reply_enqueue;
};

/// The scripts, built once (immutable afterwards, safe from any thread).
const Scripts& scripts();

}  // namespace broadcaster::store
