-- Marks a campaign done when every queued message is settled, and starts the
-- clock on its per-message data: the keys holding numbers and texts expire
-- after the campaign's retention; meta and stats stay.
-- A message is settled when it has an outcome, was erased on request
-- (stats.erased; its outcome, if any, was deleted with it), was set aside as
-- unreadable by the sender (stats.dead_letter), or belonged to an earlier
-- round whose data was purged (stats.purged).
-- KEYS[1] meta hash  KEYS[2] stats hash  KEYS[3..] the campaign's per-message
-- keys (Keys::campaign_message_keys): KEYS[3] queue stream, KEYS[4] enqueued
-- set, KEYS[5] outcome hash, then any others
-- ARGV[1] now (ISO 8601)
-- Returns 1 if the campaign is (now) done, 0 if messages remain.
if #KEYS < 5 then
  return redis.error_reply('campaign_finish takes meta, stats and the per-message keys '
                           .. '(store::campaign_finish_call)')
end
local function count(field) return tonumber(redis.call('HGET', KEYS[2], field) or '0') end
local settled = redis.call('HLEN', KEYS[5]) + count('erased') + count('dead_letter') + count('purged')
if settled < count('queued') then return 0 end
if redis.call('HGET', KEYS[1], 'status') ~= 'done' then
  -- Campaigns submitted before retention was configurable: the default, 30 days.
  local retention = tonumber(redis.call('HGET', KEYS[1], 'retention_ms') or '') or 30 * 86400000
  local t = redis.call('TIME')
  local purge_at = string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + retention)
  redis.call('HSET', KEYS[1], 'status', 'done', 'done_at', ARGV[1], 'purge_at_ms', purge_at)
  for i = 3, #KEYS do redis.call('PEXPIREAT', KEYS[i], purge_at) end
end
return 1
