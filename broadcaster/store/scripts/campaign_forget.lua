-- Erases one number from one campaign's per-message data on request
-- (`subscribers remove --forget`): its queue entry (number and text), its
-- enqueued member and its outcome. The campaign's counters stay meaningful:
-- a message already sent stays counted as sent; stats.erased counts every
-- erased message, so that campaign_finish.lua still sees it settled, and
-- stats.skipped_erased those erased before they had an outcome (never to be
-- sent). The queue is scanned (forget is rare; an index from number to entry
-- would cost memory for every queued message).
-- KEYS[1] meta hash  KEYS[2] stats hash  KEYS[3..] the campaign's per-message
-- keys (Keys::campaign_message_keys): KEYS[3] queue stream, KEYS[4] enqueued
-- set, KEYS[5] outcome hash, then any others (hash, set or sorted set keyed
-- by the number or by the queue entry id)
-- ARGV[1] phone (E.164)
-- Returns {queue entries deleted, 1 if the campaign held the number else 0}.
local phone = ARGV[1]
local ids = {}
local cursor = '-'
while true do
  local batch = redis.call('XRANGE', KEYS[3], cursor, '+', 'COUNT', 500)
  if #batch == 0 then break end
  for _, entry in ipairs(batch) do
    local fields = entry[2]
    for i = 1, #fields, 2 do
      if fields[i] == 'to' and fields[i + 1] == phone then
        ids[#ids + 1] = entry[1]
        break
      end
    end
    cursor = '(' .. entry[1]
  end
end
for _, id in ipairs(ids) do redis.call('XDEL', KEYS[3], id) end
local was_queued = redis.call('SREM', KEYS[4], phone)
local had_outcome = redis.call('HDEL', KEYS[5], phone)
local others = 0
for i = 6, #KEYS do
  local kind = redis.call('TYPE', KEYS[i]).ok
  if kind == 'hash' then
    others = others + redis.call('HDEL', KEYS[i], phone, unpack(ids))
  elseif kind == 'set' then
    others = others + redis.call('SREM', KEYS[i], phone, unpack(ids))
  elseif kind == 'zset' then
    others = others + redis.call('ZREM', KEYS[i], phone, unpack(ids))
  end
end
if was_queued == 1 then
  redis.call('HINCRBY', KEYS[2], 'erased', 1)
  if had_outcome == 0 then redis.call('HINCRBY', KEYS[2], 'skipped_erased', 1) end
elseif had_outcome == 1 and tonumber(redis.call('HGET', KEYS[2], 'skipped_erased') or '0') > 0 then
  -- An outcome recorded after an earlier erasure (the message was being sent
  -- then): it is counted as sent or failed, so it is no longer "skipped".
  redis.call('HINCRBY', KEYS[2], 'skipped_erased', -1)
end
local touched = 0
if #ids > 0 or was_queued == 1 or had_outcome == 1 or others > 0 then touched = 1 end
return {#ids, touched}
