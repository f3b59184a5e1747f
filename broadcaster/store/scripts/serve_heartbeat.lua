-- Marks one `serve` process alive now, by Redis's clock (processes on several
-- machines share it, whatever their own clocks say), and forgets processes
-- silent for longer than ARGV[2] ms (gone for good, or renamed on restart).
-- KEYS[1] the serve processes zset (member: process name, score: last seen ms)
-- ARGV[1] this process's name  ARGV[2] forget after ms  ('' name: leave, see
-- serve_leave below: ARGV[3] = 'leave' removes ARGV[1] instead)
-- Returns Redis's time in ms.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[3] == 'leave' then
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  redis.call('ZADD', KEYS[1], now, ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
return now
