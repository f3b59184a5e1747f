-- Functions shared by the campaign scripts that settle a campaign
-- (campaign_finish.lua, campaign_control.lua): store/scripts.cpp puts this
-- text in front of each of them, so "settled" and "the purge clock" have one
-- definition. Defines locals only; runs nothing by itself.
-- Meta fields named here (store/campaign_meta.h): retention_ms, purge_at_ms.
-- Stats fields read (store/campaign_counters.h): erased, dead_letter, purged.

-- A counter of the stats hash `stats`, 0 when absent.
local function campaign_count(stats, field) return tonumber(redis.call('HGET', stats, field) or '0') end

-- Queued messages that need nothing more: those with an outcome in hash
-- `outcome`, erased on request (their outcome, if any, went with them), set
-- aside as unreadable, or of an earlier round whose data was purged.
local function campaign_settled(stats, outcome)
  return redis.call('HLEN', outcome) + campaign_count(stats, 'erased') + campaign_count(stats, 'dead_letter') +
             campaign_count(stats, 'purged')
end

-- Starts the retention clock: KEYS[first..] (the per-message keys) expire
-- after meta's retention_ms (30 days for campaigns submitted before it was
-- configurable), and meta.purge_at_ms says when (ms, Redis's clock).
-- Returns purge_at_ms as written.
local function campaign_start_purge_clock(meta, first)
  local retention = tonumber(redis.call('HGET', meta, 'retention_ms') or '') or 30 * 86400000
  local t = redis.call('TIME')
  local purge_at = string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + retention)
  redis.call('HSET', meta, 'purge_at_ms', purge_at)
  for i = first, #KEYS do redis.call('PEXPIREAT', KEYS[i], purge_at) end
  return purge_at
end
