-- Hands each due occurrence of a scheduled campaign to exactly one caller
-- (store/schedule_registry.h): re-checks, atomically, that each candidate is
-- still due, and moves it to the claimed state with a lease. Its score in the
-- due zset becomes the lease's end, so a claimer that dies leaves an entry
-- that falls due again when the lease runs out, and the next claimer gets the
-- same occurrence (attempt + 1).
-- KEYS[1] the due zset (campaign id -> ms when it is next looked at)
-- KEYS[2..] the schedule hashes of the candidates, in the order of ARGV[3..]
-- ARGV[1] now (ms since the epoch, the caller's clock)  ARGV[2] lease (ms)
-- ARGV[3..] candidate campaign ids
-- Hash fields named here (store/schedule_registry.h): file, next, zone,
-- next_ms, state, lease_until_ms, attempt, skipped.
-- Returns one array per claimed occurrence:
--   {id, file, next, zone, next_ms, attempt, skipped}
local now = tonumber(ARGV[1])
local lease_end = now + tonumber(ARGV[2])
local out = {}
for i = 2, #KEYS do
  local id = ARGV[i + 1]
  local score = redis.call('ZSCORE', KEYS[1], id)
  if score and tonumber(score) <= now then
    if redis.call('EXISTS', KEYS[i]) == 0 then
      redis.call('ZREM', KEYS[1], id)  -- no record left: nothing to run
    else
      local h = redis.call('HMGET', KEYS[i], 'file', 'next', 'zone', 'next_ms', 'skipped')
      local attempt = redis.call('HINCRBY', KEYS[i], 'attempt', 1)
      redis.call('HSET', KEYS[i], 'state', 'claimed', 'lease_until_ms', lease_end)
      redis.call('ZADD', KEYS[1], lease_end, id)
      out[#out + 1] = {id, h[1] or '', h[2] or '', h[3] or '', h[4] or '0', attempt, h[5] or ''}
    end
  end
end
return out
