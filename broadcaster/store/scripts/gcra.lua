-- Generic cell rate algorithm: a rate limit shared by every process.
-- KEYS[1] the limit's key (holds the theoretical arrival time, microseconds)
-- ARGV: emission interval in microseconds (1e6 / rate), burst (>= 1),
--       wanted (messages asked for), now in microseconds or "" to use the
--       Redis server's clock (one clock for all machines)
-- Returns {granted, wait_us}: how many may go now (0..wanted), and when
-- granted < wanted, how long until the next one may.
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local now
if ARGV[4] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[4])
end
local tolerance = interval * (burst - 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
-- Each grant moves tat one interval on; a grant is allowed while
-- tat - tolerance <= now.
local granted = 0
while granted < wanted and tat - tolerance <= now do
  tat = tat + interval
  granted = granted + 1
end
local wait = 0
if granted < wanted then wait = tat - tolerance - now end
if granted > 0 then
  redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
end
return {granted, wait}
