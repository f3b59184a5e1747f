-- Adds or updates one subscriber and its index entries, atomically.
-- KEYS[1] subscriber hash   KEYS[2] active set   KEYS[3] stopped set
-- KEYS[4] all set           KEYS[5] new language index
-- KEYS[6] old language index (same as KEYS[5] when unchanged or new)
-- KEYS[7 .. 6+n_new] new tag indexes, then n_old old tag indexes
-- ARGV: phone, lang, tags_csv, consent_source, consent_at, now,
--       expected_old_lang, expected_old_tags_csv, n_new, n_old
-- Returns "added", "updated", "suppressed" (opted out: left untouched) or
-- "conflict" (changed since the caller read it: read again and retry).
local phone, lang, tags = ARGV[1], ARGV[2], ARGV[3]
local n_new, n_old = tonumber(ARGV[9]), tonumber(ARGV[10])

if redis.call('SISMEMBER', KEYS[3], phone) == 1 then
  return 'suppressed'
end
local current = redis.call('HMGET', KEYS[1], 'lang', 'tags', 'status')
if current[3] == 'stopped' then
  return 'suppressed'
end
if (current[1] or '') ~= ARGV[7] or (current[2] or '') ~= ARGV[8] then
  return 'conflict'
end
local existed = current[1] ~= false

if existed then
  redis.call('SREM', KEYS[6], phone)
  for i = 1, n_old do redis.call('SREM', KEYS[6 + n_new + i], phone) end
  redis.call('HSET', KEYS[1], 'lang', lang, 'tags', tags, 'status', 'active', 'updated_at', ARGV[6])
else
  redis.call('HSET', KEYS[1], 'phone', phone, 'lang', lang, 'tags', tags, 'status', 'active',
             'consent_source', ARGV[4], 'consent_at', ARGV[5], 'created_at', ARGV[6],
             'updated_at', ARGV[6])
end
redis.call('SADD', KEYS[5], phone)
for i = 1, n_new do redis.call('SADD', KEYS[6 + i], phone) end
redis.call('SADD', KEYS[2], phone)
redis.call('SADD', KEYS[4], phone)
if existed then return 'updated' end
return 'added'
