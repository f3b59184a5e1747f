-- Staff pause, resume or cancel a campaign (`broadcaster campaign pause`,
-- `resume`, `cancel`): checks and changes meta.status and appends the audit
-- entry in one step, so two people acting at once cannot both change it and
-- the audit log never claims a change that did not happen. The sender and
-- send_begin.lua read meta.status: nothing of a paused or cancelled
-- campaign is sent.
--   pause:  sending -> paused
--   resume: paused -> sending
--   cancel: sending | paused -> cancelled; sets meta.cancelled_at, counts
--           the messages that will never be sent in stats.cancelled, and
--           starts the purge clock of the per-message keys as
--           campaign_finish.lua does (campaign_start_purge_clock).
-- Uses campaign_count, campaign_settled and campaign_start_purge_clock from
-- campaign_common.lua, which store/scripts.cpp puts in front of this text.
-- stats.cancelled = queued - settled (campaign_settled, or the counters
-- stats::CampaignStats::remaining subtracts: sent, failed, skipped_stopped,
-- dead_letter, skipped_erased, if they say more) - messages whose send
-- has started (a marker in the sending hash and no outcome yet): those may
-- still get an outcome from the sender that started them, so they are not
-- counted as never sent.
-- KEYS[1] meta hash  KEYS[2] stats hash  KEYS[3] audit stream
-- KEYS[4] sending hash  KEYS[5..] the per-message keys
-- (Keys::campaign_message_keys): KEYS[5] queue, KEYS[6] enqueued,
-- KEYS[7] outcome hash, then any others (the sending hash again among them)
-- ARGV[1] pause | resume | cancel  ARGV[2] now (ISO 8601 UTC, cancelled_at)
-- ARGV[3..] the audit entry as field/value pairs (store/audit_log.h), XADDed as given
-- Meta fields named here (store/campaign_meta.h): status, cancelled_at
-- (and retention_ms, purge_at_ms in campaign_common.lua). Stats field
-- written: cancelled; read: queued, sent, failed, skipped_stopped,
-- dead_letter, skipped_erased (store/campaign_counters.h).
-- Returns {outcome, status before, audit id, cancelled, purge_at_ms}; outcome
-- is done, already (in the target status already), unknown (no meta) or
-- not_allowed (the status before allows no such change).
if #KEYS < 7 then
  return redis.error_reply('campaign_control takes meta, stats, audit, sending and the per-message keys '
                           .. '(store::control_campaign)')
end
local targets = {pause = 'paused', resume = 'sending', cancel = 'cancelled'}
local sources = {pause = {sending = true}, resume = {paused = true}, cancel = {sending = true, paused = true}}
local action = ARGV[1]
local target = targets[action]
if not target then return redis.error_reply('campaign_control: unknown action ' .. tostring(action)) end
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', '', '', 0, ''} end
local status = redis.call('HGET', KEYS[1], 'status') or ''
if status == target then return {'already', status, '', 0, ''} end
if not sources[action][status] then return {'not_allowed', status, '', 0, ''} end
local cancelled, purge_at = 0, ''
if action == 'cancel' then
  local started = 0
  for _, phone in ipairs(redis.call('HKEYS', KEYS[4])) do
    if redis.call('HEXISTS', KEYS[7], phone) == 0 then started = started + 1 end
  end
  -- Settled by the outcome hash, or by the counters `stats` subtracts for
  -- remaining (the same in a consistent record): whichever is larger, so
  -- remaining never goes below the sends already started.
  local by_counters = campaign_count(KEYS[2], 'sent') + campaign_count(KEYS[2], 'failed') +
                          campaign_count(KEYS[2], 'skipped_stopped') + campaign_count(KEYS[2], 'dead_letter') +
                          campaign_count(KEYS[2], 'skipped_erased')
  cancelled = campaign_count(KEYS[2], 'queued') - math.max(campaign_settled(KEYS[2], KEYS[7]), by_counters) - started
  if cancelled < 0 then cancelled = 0 end
  redis.call('HSET', KEYS[2], 'cancelled', cancelled)
  redis.call('HSET', KEYS[1], 'cancelled_at', ARGV[2])
  purge_at = campaign_start_purge_clock(KEYS[1], 5)
end
redis.call('HSET', KEYS[1], 'status', target)
local id = redis.call('XADD', KEYS[3], '*', unpack(ARGV, 3))
return {'done', status, id, cancelled, purge_at}
