-- Whether a campaign message may go to one subscriber now, on the
-- subscriber's side: still active, and under the frequency cap (at most
-- ARGV[4] campaign messages in any ARGV[5] ms, across all campaigns). A
-- message that passes takes its place under the cap in the same step, so
-- two processes cannot both squeeze one in. The place is the campaign's id
-- in the subscriber's recent zset, so a redelivered or resent message of
-- the same campaign never counts twice; subscriber_gate_release.lua gives it
-- back when the message is not sent after all.
-- A keyword reply (store/keyword_reply.h) answers the subscriber's own text,
-- so its test is different (ARGV[6]): 'not_stopped' (KEYS[1] is then the
-- stopped set: a JOIN's welcome is not sent once a later STOP came in) or
-- 'to_stopped' (the opt-out confirmation, HELP to a stopped number: sent).
-- KEYS[1] active set (stopped set for 'not_stopped')  KEYS[2] the
-- subscriber's recent campaign messages (zset campaign id -> ms)
-- ARGV[1] phone  ARGV[2] campaign id  ARGV[3] now (ms)  ARGV[4] cap (0: off)
-- ARGV[5] window (ms)  ARGV[6] 'active' (campaign messages; the default),
-- 'not_stopped' or 'to_stopped'
-- Returns {'inactive'}, {'capped', <ms when a place frees up>} or {'ok'}.
local test = ARGV[6] or 'active'
if test == 'not_stopped' then
  if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return {'inactive'} end
elseif test ~= 'to_stopped' then
  if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return {'inactive'} end
end
local cap = tonumber(ARGV[4])
if cap == 0 then return {'ok'} end
local now = tonumber(ARGV[3])
local window = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
if redis.call('ZSCORE', KEYS[2], ARGV[2]) then return {'ok'} end
if redis.call('ZCARD', KEYS[2]) >= cap then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {'capped', tostring(tonumber(oldest[2]) + window)}
end
redis.call('ZADD', KEYS[2], now, ARGV[2])
redis.call('PEXPIRE', KEYS[2], window)
return {'ok'}
