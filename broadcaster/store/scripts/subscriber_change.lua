-- Adds a subscriber or changes one (status, language, tags), updates every
-- index, and appends the consent-log entry, all atomically: the log can never
-- disagree with the state it records.
-- KEYS[1] subscriber hash   KEYS[2] active set     KEYS[3] stopped set
-- KEYS[4] all set           KEYS[5] suppressed set KEYS[6] consent stream
-- KEYS[7] consent pii hash  KEYS[8] consent entries of this subject
-- KEYS[9] seen key of the inbound message (unused when ARGV[16] is 0)
-- KEYS[10] new language index   KEYS[11] old language index (= KEYS[10] if none)
-- KEYS[12 .. 11+n_new] new tag indexes, then n_old old tag indexes
-- KEYS[12+n_new+n_old] (the last) the address -> language hash
-- ARGV[1] phone  ARGV[2] subject hash  ARGV[3] mode: import | staff | keyword
-- ARGV[4] status wanted: active | pending | keep
-- ARGV[5] language  ARGV[6] tags (sorted csv)  ARGV[7] now (ISO 8601)
-- ARGV[8..10] expected current language, tags, status ('' when absent)
-- ARGV[11] n_new  ARGV[12] n_old
-- ARGV[13] consent action when the number is new, ARGV[14] when it exists
--          ('' writes no entry)   ARGV[15] detail for the entry
-- ARGV[16] seconds to remember the inbound message (0: not an inbound message)
-- ARGV[17] source (import | staff | keyword)  ARGV[18] raw text  ARGV[19] provider id
-- ARGV[20] endpoint  ARGV[21] '1' to mark the next campaign message for a footer
-- ARGV[22] consent source and ARGV[23] consent time to store when the number
--          joins (an import may carry where and when consent was given)
-- Returns {result, consent entry id or ''}: result is "added", "updated",
-- "suppressed" (opted out and this is not the subscriber asking: untouched),
-- "duplicate" (this inbound message was already acted on) or "conflict"
-- (changed since the caller read it: read again and retry).
local phone, subject, mode, want = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local lang, tags, now = ARGV[5], ARGV[6], ARGV[7]
local n_new, n_old = tonumber(ARGV[11]), tonumber(ARGV[12])
local remember = tonumber(ARGV[16])

if remember > 0 and redis.call('EXISTS', KEYS[9]) == 1 then
  return {'duplicate', ''}
end
local current = redis.call('HMGET', KEYS[1], 'lang', 'tags', 'status')
if (current[1] or '') ~= ARGV[8] or (current[2] or '') ~= ARGV[9] or (current[3] or '') ~= ARGV[10] then
  return {'conflict', ''}
end
local existed = current[1] ~= false
if not existed and want == 'keep' then
  return redis.error_reply('subscriber_change: a new subscriber needs a status')
end
local opted_out = current[3] == 'stopped' or redis.call('SISMEMBER', KEYS[3], phone) == 1 or
                  redis.call('SISMEMBER', KEYS[5], subject) == 1

if opted_out and mode ~= 'keyword' then
  -- Only the subscriber can take back an opt-out (by texting an opt-in word).
  return {'suppressed', ''}
end
if opted_out and want ~= 'keep' then
  redis.call('SREM', KEYS[3], phone)
  redis.call('SREM', KEYS[5], subject)
end

if existed then
  redis.call('SREM', KEYS[11], phone)
  for i = 1, n_old do redis.call('SREM', KEYS[11 + n_new + i], phone) end
else
  redis.call('HSET', KEYS[1], 'phone', phone, 'consent_source', ARGV[22], 'consent_at', ARGV[23],
             'created_at', now)
end
redis.call('HSET', KEYS[1], 'lang', lang, 'tags', tags, 'updated_at', now)
redis.call('SADD', KEYS[10], phone)
redis.call('HSET', KEYS[12 + n_new + n_old], phone, lang)
for i = 1, n_new do redis.call('SADD', KEYS[11 + i], phone) end
redis.call('SADD', KEYS[4], phone)

local status = current[3]
if want == 'active' then
  if status ~= 'active' then
    redis.call('HSET', KEYS[1], 'status', 'active', 'consent_source', ARGV[22], 'consent_at', ARGV[23])
    redis.call('HDEL', KEYS[1], 'pending_since', 'stopped_at', 'stop_reason')
  end
  redis.call('SADD', KEYS[2], phone)
elseif want == 'pending' then
  redis.call('HSET', KEYS[1], 'status', 'pending', 'pending_since', now)
  redis.call('SREM', KEYS[2], phone)
end
if ARGV[21] == '1' then redis.call('HSET', KEYS[1], 'footer_due', '1') end

local action = ARGV[14]
if not existed then action = ARGV[13] end
local id = ''
if action ~= '' then
  id = redis.call('XADD', KEYS[6], '*', 'at', now, 'action', action, 'source', ARGV[17],
                  'subject', subject, 'detail', ARGV[15], 'provider_id', ARGV[19], 'endpoint', ARGV[20])
  redis.call('HSET', KEYS[7], id .. ':phone', phone, id .. ':text', ARGV[18])
  redis.call('RPUSH', KEYS[8], id)
end
if remember > 0 then redis.call('SET', KEYS[9], '1', 'EX', remember) end
if existed then return {'updated', id} end
return {'added', id}
