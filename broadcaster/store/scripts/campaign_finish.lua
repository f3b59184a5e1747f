-- Marks a campaign done when every queued message is settled, and starts the
-- clock on its per-message data: the keys holding numbers and texts expire
-- after the campaign's retention; meta and stats stay.
-- A message is settled when it has an outcome, was erased on request
-- (stats.erased; its outcome, if any, was deleted with it), was set aside as
-- unreadable by the sender (stats.dead_letter), or belonged to an earlier
-- round whose data was purged (stats.purged): campaign_settled in
-- campaign_common.lua, which store/scripts.cpp puts in front of this text.
-- A cancelled campaign (campaign_control.lua) has no work left and keeps
-- its status: it started its purge clock when it was cancelled.
-- KEYS[1] meta hash  KEYS[2] stats hash  KEYS[3..] the campaign's per-message
-- keys (Keys::campaign_message_keys): KEYS[3] queue stream, KEYS[4] enqueued
-- set, KEYS[5] outcome hash, then any others
-- ARGV[1] now (ISO 8601)
-- Returns 1 if the campaign is (now) done or cancelled, 0 if messages remain.
if #KEYS < 5 then
  return redis.error_reply('campaign_finish takes meta, stats and the per-message keys '
                           .. '(store::campaign_finish_call)')
end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'cancelled' then return 1 end
if campaign_settled(KEYS[2], KEYS[5]) < campaign_count(KEYS[2], 'queued') then return 0 end
if status ~= 'done' then
  redis.call('HSET', KEYS[1], 'status', 'done', 'done_at', ARGV[1])
  campaign_start_purge_clock(KEYS[1], 3)
end
return 1
