-- Marks a number opted out, whether or not it is a stored subscriber, so it
-- is never sent to again and import cannot bring it back; appends the
-- opt-out to the consent log in the same step.
-- KEYS[1] subscriber hash   KEYS[2] active set   KEYS[3] stopped set
-- KEYS[4] consent stream    KEYS[5] consent pii hash
-- KEYS[6] consent entries of this subject
-- KEYS[7] seen key of the inbound message (unused when ARGV[5] is 0)
-- ARGV[1] phone  ARGV[2] now  ARGV[3] reason (the keyword, "provider 21610"...)
-- ARGV[4] subject hash  ARGV[5] seconds to remember the inbound message (0: none)
-- ARGV[6] source (keyword | staff | provider)  ARGV[7] raw text
-- ARGV[8] provider id  ARGV[9] endpoint
-- Returns {result, consent entry id}: result is "stopped" (this changed
-- something), "already" (it was already opted out; still logged: every
-- request to stop is evidence) or "duplicate" (this inbound message was
-- already acted on; nothing logged). The seen key holds the result, so a
-- retried webhook can tell whether its first attempt was the one
-- confirmation of this opt-out (inbound/keyword_responder.cpp).
local remember = tonumber(ARGV[5])
if remember > 0 and redis.call('EXISTS', KEYS[7]) == 1 then
  return {'duplicate', ''}
end
local was_active = redis.call('SREM', KEYS[2], ARGV[1])
local newly = redis.call('SADD', KEYS[3], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 1 then
  local status = redis.call('HGET', KEYS[1], 'status')
  if status ~= 'stopped' then
    newly = 1
    redis.call('HSET', KEYS[1], 'status', 'stopped', 'stopped_at', ARGV[2], 'stop_reason', ARGV[3],
               'updated_at', ARGV[2])
    redis.call('HDEL', KEYS[1], 'pending_since', 'footer_due')
  end
end
local result = 'already'
if was_active == 1 or newly == 1 then result = 'stopped' end
local detail = ARGV[3]
if result == 'already' then detail = detail .. ' (already opted out)' end
local id = redis.call('XADD', KEYS[4], '*', 'at', ARGV[2], 'action', 'opt_out', 'source', ARGV[6],
                      'subject', ARGV[4], 'detail', detail, 'provider_id', ARGV[8], 'endpoint', ARGV[9])
redis.call('HSET', KEYS[5], id .. ':phone', ARGV[1], id .. ':text', ARGV[7])
redis.call('RPUSH', KEYS[6], id)
if remember > 0 then redis.call('SET', KEYS[7], result, 'EX', remember) end
return {result, id}
