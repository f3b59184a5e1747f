-- Finishes one claimed occurrence of a scheduled campaign
-- (store/schedule_registry.h): records how it ended and moves the campaign to
-- its next occurrence, or ends the schedule. Only the occurrence the record
-- still names is finished: a claimer whose lease ran out and whose occurrence
-- another claimer already finished changes nothing.
-- KEYS[1] the due zset  KEYS[2] the campaign's schedule hash
-- ARGV[1] campaign id  ARGV[2] the occurrence finished (local wall time, as
-- stored in `next`)  ARGV[3] outcome: fired | expired | skipped | defer
-- ARGV[4] the next occurrence ('' ends the schedule; with defer: ignored)
-- ARGV[5] its zone  ARGV[6] when it is due (ms)  (defer: when to look again)
-- Hash fields named here: next, zone, next_ms, state, lease_until_ms,
-- attempt, skipped, last_fired, last_outcome, runs.
-- Returns 'next' (moved on), 'ended' (record removed), 'deferred',
-- 'stale' (the record names another occurrence now) or 'unknown' (no record).
if redis.call('EXISTS', KEYS[2]) == 0 then return 'unknown' end
if redis.call('HGET', KEYS[2], 'next') ~= ARGV[2] then return 'stale' end
local outcome = ARGV[3]
if outcome == 'defer' then
  redis.call('HSET', KEYS[2], 'state', 'waiting', 'skipped', ARGV[2], 'attempt', 0)
  redis.call('HDEL', KEYS[2], 'lease_until_ms')
  redis.call('ZADD', KEYS[1], ARGV[6], ARGV[1])
  return 'deferred'
end
if outcome == 'fired' then
  redis.call('HINCRBY', KEYS[2], 'runs', 1)
  redis.call('HSET', KEYS[2], 'last_fired', ARGV[2])
end
if ARGV[4] == '' then
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 'ended'
end
redis.call('HSET', KEYS[2], 'next', ARGV[4], 'zone', ARGV[5], 'next_ms', ARGV[6], 'state', 'waiting',
           'attempt', 0, 'last_outcome', outcome .. ' ' .. ARGV[2])
redis.call('HDEL', KEYS[2], 'lease_until_ms', 'skipped')
redis.call('ZADD', KEYS[1], ARGV[6], ARGV[1])
return 'next'
