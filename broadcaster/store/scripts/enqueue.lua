-- Queues one batch of a campaign's messages, skipping numbers already queued
-- for it, so submitting a campaign twice never queues anyone twice. New work
-- re-opens a finished campaign: its per-message keys lose the expiry the
-- finish gave them, so nothing expires while it sends again, and it is no
-- longer done (status sending, done_at removed).
-- KEYS[1] meta hash  KEYS[2] stats hash  KEYS[3..] the campaign's per-message
-- keys (Keys::campaign_message_keys): KEYS[3] queue stream, KEYS[4] enqueued
-- set, KEYS[5] outcome hash, then any others
-- KEYS[7] deferred zset, KEYS[8] deferred messages hash (see defer.lua)
-- ARGV: campaign id, channel, then six per message: phone, lang, body, tz
-- (the subscriber's own zone, '' for none), region ('' for none), due ms
-- ('' to send as soon as possible; a time: set aside until then, as for a
-- send time in the recipient's own zone)
-- Field names: queue/queued_message.h.
-- Returns the number of messages added.
local reopening = redis.call('HGET', KEYS[1], 'status') == 'done'
-- Done and no enqueued set: the retention purged the earlier messages (or
-- every one of them was erased on request).
local purged = reopening and redis.call('EXISTS', KEYS[4]) == 0
local added = 0
for i = 3, #ARGV, 6 do
  local phone = ARGV[i]
  if redis.call('SADD', KEYS[4], phone) == 1 then
    local fields = {'to', phone, 'lang', ARGV[i + 1], 'channel', ARGV[2], 'campaign', ARGV[1], 'body', ARGV[i + 2]}
    if ARGV[i + 3] ~= '' then
      fields[#fields + 1] = 'tz'
      fields[#fields + 1] = ARGV[i + 3]
    end
    if ARGV[i + 4] ~= '' then
      fields[#fields + 1] = 'region'
      fields[#fields + 1] = ARGV[i + 4]
    end
    if ARGV[i + 5] == '' then
      redis.call('XADD', KEYS[3], '*', unpack(fields))
    else
      local entry = {}
      for f = 1, #fields, 2 do entry[fields[f]] = fields[f + 1] end
      redis.call('ZADD', KEYS[7], ARGV[i + 5], phone)
      redis.call('HSET', KEYS[8], phone, cjson.encode(entry))
    end
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
