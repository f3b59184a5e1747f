-- Records what happened to one message and acknowledges its queue entry, in
-- one step, so a message is counted exactly once and is only acked once its
-- outcome is stored. The message's send marker (see send_begin.lua) goes with
-- it. Replaying the same call is harmless, which is how a process re-applies
-- outcomes Redis may have lost in a crash.
-- KEYS[1] outcome hash  KEYS[2] stats hash  KEYS[3] queue stream
-- KEYS[4] sending hash  KEYS[5] enqueued set
-- ARGV: consumer group, entry id, phone, outcome ("sent:<id>", "failed:<code>",
--       "skipped:stopped"), the language of the message's variant, then
--       stats fields to increment by one
-- Stored per message: "<outcome>|<language>|<ms>", ms the Unix time in
-- milliseconds (Redis's clock, one clock for every serve) it was recorded;
-- the language lets delivery_receipt.lua count receipts by language.
-- Returns 1 if recorded now, 0 if an outcome was already stored (a
-- redelivered message: it is only acked), -1 if the number was erased from
-- the campaign while the message was in hand (acked; nothing about the
-- number is written back).
local recorded = 0
if redis.call('SISMEMBER', KEYS[5], ARGV[3]) == 0 then
  recorded = -1
elseif redis.call('HEXISTS', KEYS[1], ARGV[3]) == 0 then
  local now = redis.call('TIME')
  local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  redis.call('HSET', KEYS[1], ARGV[3], ARGV[4] .. '|' .. ARGV[5] .. '|' .. string.format('%d', ms))
  for i = 6, #ARGV do redis.call('HINCRBY', KEYS[2], ARGV[i], 1) end
  recorded = 1
end
redis.call('HDEL', KEYS[4], ARGV[3])
redis.call('XACK', KEYS[3], ARGV[1], ARGV[2])
return recorded
