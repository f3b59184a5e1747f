-- Marks a campaign done when every queued message has an outcome (or was
-- set aside as unreadable: dead_letter).
-- KEYS[1] meta hash  KEYS[2] outcome hash  KEYS[3] stats hash
-- ARGV: now (ISO 8601)
-- Returns 1 if the campaign is (now) done, 0 if messages remain.
local queued = tonumber(redis.call('HGET', KEYS[3], 'queued') or '0')
local dead = tonumber(redis.call('HGET', KEYS[3], 'dead_letter') or '0')
if redis.call('HLEN', KEYS[2]) + dead < queued then return 0 end
if redis.call('HGET', KEYS[1], 'status') ~= 'done' then
  redis.call('HSET', KEYS[1], 'status', 'done', 'done_at', ARGV[1])
end
return 1
