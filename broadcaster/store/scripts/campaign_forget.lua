-- Erases one number from one campaign's per-message data on request
-- (`subscribers remove --forget`): its queue entry (number and text), its
-- enqueued member and its outcome. The campaign's counters stay meaningful:
-- a message already sent stays counted as sent; stats.erased counts every
-- erased message, so that campaign_finish.lua still sees it settled, and
-- stats.skipped_erased those erased before they had an outcome (never to be
-- sent). The queue is scanned (forget is rare; an index from number to entry
-- would cost memory for every queued message).
-- XDEL alone is not enough: it only marks an entry deleted inside its
-- storage node, whose bytes (number and text) stay in memory and in every
-- RDB snapshot, AOF rewrite and replica sync until the whole node goes. So
-- when entries were deleted the queue is copied without them into a scratch
-- key and renamed over the original, keeping what the senders rely on: the
-- entry ids, the last generated id, each consumer group with its last
-- delivered id, its consumers and its pending entries (consumer, idle time,
-- delivery count), and the key's expiry.
-- KEYS[1] meta hash  KEYS[2] stats hash  KEYS[3..#KEYS-1] the campaign's
-- per-message keys (Keys::campaign_message_keys): KEYS[3] queue stream,
-- KEYS[4] enqueued set, KEYS[5] outcome hash, then any others (hash, set or
-- sorted set keyed by the number or by the queue entry id)
-- KEYS[#KEYS] scratch stream (Keys::campaign_scratch), deleted again here
-- ARGV[1] phone (E.164)
-- Returns {queue entries deleted, 1 if the campaign held the number else 0}.
-- A flat reply {k1, v1, k2, v2, ...} as a table.
local function fields(reply)
  local t = {}
  for i = 1, #reply, 2 do t[reply[i]] = reply[i + 1] end
  return t
end

-- Replaces `stream` by a copy without its deleted entries (see above).
local function rewrite(stream, scratch)
  redis.call('DEL', scratch)
  local info = fields(redis.call('XINFO', 'STREAM', stream))
  local cursor = '-'
  while true do
    local batch = redis.call('XRANGE', stream, cursor, '+', 'COUNT', 500)
    if #batch == 0 then break end
    for _, entry in ipairs(batch) do
      redis.call('XADD', scratch, entry[1], unpack(entry[2]))
      cursor = '(' .. entry[1]
    end
  end
  for _, g in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
    local group = fields(g)
    if group['entries-read'] then
      redis.call('XGROUP', 'CREATE', scratch, group.name, group['last-delivered-id'], 'MKSTREAM', 'ENTRIESREAD',
                 group['entries-read'])
    else
      redis.call('XGROUP', 'CREATE', scratch, group.name, group['last-delivered-id'], 'MKSTREAM')
    end
    for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', stream, group.name)) do
      redis.call('XGROUP', 'CREATECONSUMER', scratch, group.name, fields(c).name)
    end
    if group.pending > 0 then
      for _, p in ipairs(redis.call('XPENDING', stream, group.name, '-', '+', group.pending)) do
        -- A pending entry that was just deleted leaves the pending list, as
        -- XAUTOCLAIM would drop it.
        if #redis.call('XRANGE', scratch, p[1], p[1]) == 1 then
          redis.call('XCLAIM', scratch, group.name, p[2], 0, p[1], 'IDLE', p[3], 'RETRYCOUNT', p[4], 'FORCE',
                     'JUSTID')
        end
      end
    end
  end
  if redis.call('EXISTS', scratch) == 0 then
    -- Nothing left and no group: an absent stream is the same as an empty one.
    redis.call('DEL', stream)
    return
  end
  redis.call('XSETID', scratch, info['last-generated-id'], 'ENTRIESADDED', info['entries-added'],
             'MAXDELETEDID', info['max-deleted-entry-id'])
  local expires_at = redis.call('PEXPIRETIME', stream)
  redis.call('RENAME', scratch, stream)
  if expires_at > 0 then redis.call('PEXPIREAT', stream, expires_at) end
end

local phone = ARGV[1]
local ids = {}
local cursor = '-'
while true do
  local batch = redis.call('XRANGE', KEYS[3], cursor, '+', 'COUNT', 500)
  if #batch == 0 then break end
  for _, entry in ipairs(batch) do
    local values = entry[2]
    for i = 1, #values, 2 do
      if values[i] == 'to' and values[i + 1] == phone then
        ids[#ids + 1] = entry[1]
        break
      end
    end
    cursor = '(' .. entry[1]
  end
end
for _, id in ipairs(ids) do redis.call('XDEL', KEYS[3], id) end
if #ids > 0 then rewrite(KEYS[3], KEYS[#KEYS]) end
local was_queued = redis.call('SREM', KEYS[4], phone)
local had_outcome = redis.call('HDEL', KEYS[5], phone)
local others = 0
for i = 6, #KEYS - 1 do
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
