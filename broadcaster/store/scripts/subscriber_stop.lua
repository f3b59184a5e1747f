-- Marks a number opted out, whether or not it is a stored subscriber, so it
-- is never sent to again and import cannot bring it back.
-- KEYS[1] subscriber hash   KEYS[2] active set   KEYS[3] stopped set
-- ARGV: phone, now, reason
-- Returns 1 if this changed anything, 0 if the number was already stopped.
local was_active = redis.call('SREM', KEYS[2], ARGV[1])
local newly = redis.call('SADD', KEYS[3], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'status', 'stopped', 'stopped_at', ARGV[2], 'stop_reason', ARGV[3],
             'updated_at', ARGV[2])
end
if was_active == 1 or newly == 1 then return 1 end
return 0
