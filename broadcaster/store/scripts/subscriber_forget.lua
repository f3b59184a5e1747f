-- Erases a subscriber's personal data on request but keeps them opted out:
-- the number leaves every set and index, the personal part (number, texts)
-- of each of their consent-log entries is deleted, and their subject hash
-- joins the suppressed set, so import or staff can never add the number back
-- (only the person, by texting an opt-in word). The log itself is
-- append-only: the entries stay, keyed by the hash, and one more records the
-- erasure.
-- KEYS[1] subscriber hash   KEYS[2] active set   KEYS[3] stopped set
-- KEYS[4] all set           KEYS[5] suppressed set KEYS[6] consent stream
-- KEYS[7] consent pii hash  KEYS[8] consent entries of this subject
-- KEYS[9] inbox stream      KEYS[10] language index
-- KEYS[11 .. 10+n_tags] tag indexes, then (the last) the address -> language hash
-- ARGV[1] phone  ARGV[2] subject hash  ARGV[3] now  ARGV[4] expected tags csv
-- ARGV[5] n_tags  ARGV[6] source (staff)
-- Returns {consent entries scrubbed, inbox texts deleted} or "conflict" when
-- the tags changed since the caller read them.
local phone, subject = ARGV[1], ARGV[2]
if (redis.call('HGET', KEYS[1], 'tags') or '') ~= ARGV[4] then
  return 'conflict'
end
redis.call('SREM', KEYS[2], phone)
redis.call('SREM', KEYS[3], phone)
redis.call('SREM', KEYS[4], phone)
redis.call('SREM', KEYS[10], phone)
redis.call('HDEL', KEYS[#KEYS], phone)
for i = 1, tonumber(ARGV[5]) do redis.call('SREM', KEYS[10 + i], phone) end
redis.call('DEL', KEYS[1])
redis.call('SADD', KEYS[5], subject)

local ids = redis.call('LRANGE', KEYS[8], 0, -1)
for _, id in ipairs(ids) do
  redis.call('HDEL', KEYS[7], id .. ':phone', id .. ':text')
end
-- The inbox is a working list, not a record: texts from this number go.
local removed = 0
local cursor = '-'
while true do
  local batch = redis.call('XRANGE', KEYS[9], cursor, '+', 'COUNT', 500)
  if #batch == 0 then break end
  for _, entry in ipairs(batch) do
    local fields = entry[2]
    for i = 1, #fields, 2 do
      if fields[i] == 'subject' and fields[i + 1] == subject then
        redis.call('XDEL', KEYS[9], entry[1])
        removed = removed + 1
      end
    end
    cursor = '(' .. entry[1]
  end
end
local id = redis.call('XADD', KEYS[6], '*', 'at', ARGV[3], 'action', 'forget', 'source', ARGV[6],
                      'subject', subject, 'detail', 'personal data erased on request',
                      'provider_id', '', 'endpoint', '')
redis.call('RPUSH', KEYS[8], id)
return {#ids, removed}
