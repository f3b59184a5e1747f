-- Generic cell rate algorithm: a rate limit shared by every process, with
-- slots reserved a little ahead so the limit keeps its rate.
-- KEYS[1] the limit's key (holds the theoretical arrival time, microseconds)
-- ARGV: emission interval in microseconds (1e6 / rate), burst (>= 1),
--       wanted (slots asked for), now in microseconds or "" to use the
--       Redis server's clock (one clock for all machines), and the horizon
--       in microseconds (how far ahead a slot may be reserved; 0 or absent:
--       only slots free now)
-- Each slot is granted at the earliest time GCRA allows it, if that is
-- within the horizon: the caller holds it until then. A caller that asks
-- again before its last slot has passed keeps the theoretical arrival time
-- ahead of the clock, so no slot is lost to the time a round trip or a
-- timer takes (with only slots free now, every late wake-up would push
-- the schedule back); the bound is the same, since every slot is still
-- one interval after the one before, once the burst is spent.
-- Returns {granted, wait_us, delay_us...}: how many were granted (0..wanted),
-- when granted < wanted how long until the next one comes within the horizon,
-- and for each slot granted how long from now until it may be used.
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local horizon = tonumber(ARGV[5] or '0') or 0
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
local delays = {}
local wait = 0
while #delays < wanted do
  -- The earliest this slot may go: tat - tolerance, not before now.
  local at = tat - tolerance
  if at < now then at = now end
  if at - now > horizon then
    wait = at - now - horizon
    break
  end
  delays[#delays + 1] = at - now
  tat = tat + interval
end
if #delays > 0 then
  redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
end
local out = {#delays, wait}
for i = 1, #delays do out[#out + 1] = delays[i] end
return out
