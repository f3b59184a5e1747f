-- Records what happened to one message and acknowledges its queue entry, in
-- one step, so a message is counted exactly once and is only acked once its
-- outcome is stored. The message's send marker (see send_begin.lua) goes with
-- it. Replaying the same call is harmless, which is how a process re-applies
-- outcomes Redis may have lost in a crash.
-- KEYS[1] outcome hash  KEYS[2] stats hash  KEYS[3] queue stream
-- KEYS[4] sending hash  KEYS[5] enqueued set
-- ARGV: consumer group, entry id, phone, outcome ("sent:<id>", "failed:<code>",
--       "skipped:stopped"), then stats fields to increment by one
-- Returns 1 if recorded now, 0 if an outcome was already stored (a
-- redelivered message: it is only acked), -1 if the number was erased from
-- the campaign while the message was in hand (acked; nothing about the
-- number is written back).
local recorded = 0
if redis.call('SISMEMBER', KEYS[5], ARGV[3]) == 0 then
  recorded = -1
elseif redis.call('HSETNX', KEYS[1], ARGV[3], ARGV[4]) == 1 then
  for i = 5, #ARGV do redis.call('HINCRBY', KEYS[2], ARGV[i], 1) end
  recorded = 1
end
redis.call('HDEL', KEYS[4], ARGV[3])
redis.call('XACK', KEYS[3], ARGV[1], ARGV[2])
return recorded
