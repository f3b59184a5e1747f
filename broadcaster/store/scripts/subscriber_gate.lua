-- Whether campaign messages may go to their subscribers now, on the
-- subscribers' side: still active, and under the frequency cap (at most
-- ARGV[3] campaign messages in any ARGV[4] ms, across all campaigns). A
-- message that passes takes its place under the cap in the same step, so
-- two processes cannot both squeeze one in. The place is the campaign's id
-- in the subscriber's recent zset, so a redelivered or resent message of
-- the same campaign never counts twice; the sender gives it back (ZREM)
-- when the message is not sent after all.
-- One call decides a batch of messages of one campaign (the sender gathers
-- those ready at the same moment): one round trip and one script run for
-- the batch, the same answers as one call per message in the same order.
-- A keyword reply (store/keyword_reply.h) answers the subscriber's own text,
-- so its test is different (ARGV[5]): 'not_stopped' (KEYS[1] is then the
-- stopped set: a JOIN's welcome is not sent once a later STOP came in) or
-- 'to_stopped' (the opt-out confirmation, HELP to a stopped number: sent).
-- KEYS[1] active set (stopped set for 'not_stopped')  KEYS[1 + i] the i-th
-- subscriber's recent campaign messages (zset campaign id -> ms)
-- ARGV[1] campaign id  ARGV[2] now (ms)  ARGV[3] cap (0: off)
-- ARGV[4] window (ms)  ARGV[5] 'active' (campaign messages), 'not_stopped'
-- or 'to_stopped'  ARGV[5 + i] the i-th subscriber's phone
-- Returns, per message, {'inactive'}, {'capped', <ms when a place frees up>}
-- or {'ok'}.
local test = ARGV[5]
local cap = tonumber(ARGV[3])
local now = tonumber(ARGV[2])
local window = tonumber(ARGV[4])
local campaign = ARGV[1]
local out = {}
for i = 1, #ARGV - 5 do
  local phone = ARGV[5 + i]
  local recent = KEYS[1 + i]
  local verdict
  if test == 'not_stopped' then
    if redis.call('SISMEMBER', KEYS[1], phone) == 1 then verdict = {'inactive'} end
  elseif test ~= 'to_stopped' then
    if redis.call('SISMEMBER', KEYS[1], phone) == 0 then verdict = {'inactive'} end
  end
  if not verdict and cap > 0 then
    redis.call('ZREMRANGEBYSCORE', recent, '-inf', now - window)
    -- Take the place first (NX: a message of this campaign already there
    -- keeps its time and counts once), then give it back if it is one too many.
    if redis.call('ZADD', recent, 'NX', now, campaign) == 1 then
      if redis.call('ZCARD', recent) > cap then
        redis.call('ZREM', recent, campaign)
        local oldest = redis.call('ZRANGE', recent, 0, 0, 'WITHSCORES')
        verdict = {'capped', tostring(tonumber(oldest[2]) + window)}
      else
        redis.call('PEXPIRE', recent, window)
      end
    end
  end
  out[i] = verdict or {'ok'}
end
return out
