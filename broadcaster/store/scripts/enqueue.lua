-- Queues one batch of a campaign's messages, skipping numbers already queued
-- for it, so submitting a campaign twice never queues anyone twice. New work
-- re-opens a finished campaign: its per-message keys lose the expiry the
-- finish gave them, so nothing expires while it sends again, and it is no
-- longer done (status sending, done_at removed).
-- KEYS[1] meta hash  KEYS[2] stats hash  KEYS[3..] the campaign's per-message
-- keys (Keys::campaign_message_keys): KEYS[3] queue stream, KEYS[4] enqueued
-- set, KEYS[5] outcome hash, then any others
-- KEYS[7] deferred zset, KEYS[8] deferred messages hash (see defer.lua),
-- KEYS[11] bodies hash
-- ARGV: the number of texts B, then B pairs (reference, text) for the bodies
-- hash, then six per message: phone, lang, body reference, tz (the
-- subscriber's own zone, '' for none), region ('' for none), due ms ('' to
-- send as soon as possible; a time: set aside until then, as for a send time
-- in the recipient's own zone)
-- A reference already in the bodies hash with another text is refused
-- (nothing is queued): a message never goes out with a text it was not
-- queued with.
-- Field names: queue/queued_message.h.
-- Returns the number of messages added.
local texts = tonumber(ARGV[1])
for i = 2, 2 * texts, 2 do
  local known = redis.call('HGET', KEYS[11], ARGV[i])
  if known and known ~= ARGV[i + 1] then
    return redis.error_reply('ERR body reference ' .. ARGV[i] .. ' already names another text')
  end
end
local first = 2 + 2 * texts
local reopening = redis.call('HGET', KEYS[1], 'status') == 'done'
-- Done and no enqueued set: the retention purged the earlier messages (or
-- every one of them was erased on request).
local purged = reopening and redis.call('EXISTS', KEYS[4]) == 0
-- Which of this batch are new, asked in slices rather than one SADD each:
-- a command per message was most of the script's time.
local slice = 500
local fresh = {}
for from = first, #ARGV, 6 * slice do
  local phones = {}
  for i = from, math.min(#ARGV, from + 6 * slice - 1), 6 do phones[#phones + 1] = ARGV[i] end
  local known = redis.call('SMISMEMBER', KEYS[4], unpack(phones))
  redis.call('SADD', KEYS[4], unpack(phones))
  for k = 1, #phones do
    -- A number twice in one batch is queued once.
    if known[k] == 0 and fresh[phones[k]] == nil then fresh[phones[k]] = from + 6 * (k - 1) end
  end
end
local added = 0
for i = first, #ARGV, 6 do
  local phone = ARGV[i]
  if fresh[phone] == i then
    local zone, region, due = ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
    if zone == '' and region == '' and due == '' then
      -- The usual message: no table to build.
      redis.call('XADD', KEYS[3], '*', 'to', phone, 'lang', ARGV[i + 1], 'body_ref', ARGV[i + 2])
    else
      local fields = {'to', phone, 'lang', ARGV[i + 1], 'body_ref', ARGV[i + 2]}
      if zone ~= '' then
        fields[#fields + 1] = 'tz'
        fields[#fields + 1] = zone
      end
      if region ~= '' then
        fields[#fields + 1] = 'region'
        fields[#fields + 1] = region
      end
      if due == '' then
        redis.call('XADD', KEYS[3], '*', unpack(fields))
      else
        local entry = {}
        for f = 1, #fields, 2 do entry[fields[f]] = fields[f + 1] end
        redis.call('ZADD', KEYS[7], due, phone)
        redis.call('HSET', KEYS[8], phone, cjson.encode(entry))
      end
    end
    added = added + 1
  end
end
if added > 0 then
  for i = 2, 2 * texts, 2 do redis.call('HSET', KEYS[11], ARGV[i], ARGV[i + 1]) end
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
