-- Queues one batch of a campaign's messages, skipping numbers already queued
-- for it, so submitting a campaign twice never queues anyone twice. New work
-- re-opens a finished campaign: its per-message keys lose the expiry the
-- finish gave them, so nothing expires while it sends again, and it is no
-- longer done (status sending, done_at removed).
-- KEYS[1] meta hash  KEYS[2] stats hash  KEYS[3..] the campaign's per-message
-- keys (Keys::campaign_message_keys): KEYS[3] queue stream, KEYS[4] enqueued
-- set, KEYS[5] outcome hash, then any others
-- ARGV: campaign id, channel, then triples (phone, lang, body)
-- Returns the number of messages added.
local reopening = redis.call('HGET', KEYS[1], 'status') == 'done'
-- Done and no enqueued set: the retention purged the earlier messages (or
-- every one of them was erased on request).
local purged = reopening and redis.call('EXISTS', KEYS[4]) == 0
local added = 0
for i = 3, #ARGV, 3 do
  local phone = ARGV[i]
  if redis.call('SADD', KEYS[4], phone) == 1 then
    redis.call('XADD', KEYS[3], '*', 'to', phone, 'lang', ARGV[i + 1], 'channel', ARGV[2],
               'campaign', ARGV[1], 'body', ARGV[i + 2])
    added = added + 1
  end
end
if added > 0 then
  local queued = redis.call('HINCRBY', KEYS[2], 'queued', added)
  if reopening then
    if purged then
      -- Their outcomes are gone; count them as settled so that finishing
      -- waits only for the messages queued from now on. Erased and
      -- dead-lettered messages (set aside as unreadable by the sender) are
      -- settled by their own counters already.
      local function count(field) return tonumber(redis.call('HGET', KEYS[2], field) or '0') end
      redis.call('HSET', KEYS[2], 'purged', queued - added - count('erased') - count('dead_letter'))
    end
    redis.call('HSET', KEYS[1], 'status', 'sending')
    redis.call('HDEL', KEYS[1], 'purge_at_ms', 'done_at')
    for i = 3, #KEYS do redis.call('PERSIST', KEYS[i]) end
  end
end
return added
