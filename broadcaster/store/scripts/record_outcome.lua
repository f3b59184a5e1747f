-- Records what happened to messages and acknowledges their queue entries,
-- in one step, so a message is counted exactly once and is only acked once
-- its outcome is stored. A message's send marker (see send_begin.lua) goes
-- with it. Replaying the same call is harmless, which is how a process
-- re-applies outcomes Redis may have lost in a crash.
-- One call records a batch of messages of one campaign (the sender gathers
-- those finished at the same moment); each is recorded as it would be alone.
-- A delivery receipt that came before the outcome (delivery_receipt.lua kept
-- it) is applied when the message is recorded as sent with the receipt's
-- provider id (receipt_common.lua, in front of this text), and dropped
-- otherwise.
-- KEYS[1] outcome hash  KEYS[2] stats hash  KEYS[3] queue stream
-- KEYS[4] sending hash  KEYS[5] enqueued set  KEYS[6] early receipts hash
-- KEYS[7] delivery hash
-- ARGV[1] consumer group, then per message: entry id, phone, outcome
--       ("sent:<id>", "failed:<code>", "skipped:stopped"), the language of
--       the message's variant, how many stats fields follow, the stats
--       fields to increment by one
-- Stored per message: "<outcome>|<language>|<ms>", ms the Unix time in
-- milliseconds (Redis's clock, one clock for every serve) it was recorded;
-- the language lets delivery_receipt.lua count receipts by language.
-- Returns per message 1 if recorded now, 0 if an outcome was already stored
-- (a redelivered message: it is only acked), -1 if the number was erased
-- from the campaign while the message was in hand (acked; nothing about the
-- number is written back).
local now = redis.call('TIME')
local ms = string.format('%d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
-- Per message only what depends on it; the counters, the markers' removal
-- and the acknowledgements are one command each for the whole batch (the
-- script is atomic, so nobody sees the difference).
local early_waiting = redis.call('EXISTS', KEYS[6]) == 1
local counts = {}
local phones, entries = {}, {}
local out = {}
local i = 2
while i <= #ARGV do
  local entry, phone, outcome, language = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local fields = tonumber(ARGV[i + 4])
  local recorded = 0
  if redis.call('SISMEMBER', KEYS[5], phone) == 0 then
    recorded = -1
  elseif redis.call('HSETNX', KEYS[1], phone, outcome .. '|' .. language .. '|' .. ms) == 1 then
    for f = i + 5, i + 4 + fields do counts[ARGV[f]] = (counts[ARGV[f]] or 0) + 1 end
    recorded = 1
  end
  if early_waiting then
    local early = redis.call('HGET', KEYS[6], phone)
    if early then
      redis.call('HDEL', KEYS[6], phone)
      if recorded == 1 then receipt_apply(KEYS[1], KEYS[7], KEYS[2], phone, cjson.decode(early)) end
    end
  end
  phones[#phones + 1] = phone
  entries[#entries + 1] = entry
  out[#out + 1] = recorded
  i = i + 5 + fields
end
for counter, n in pairs(counts) do redis.call('HINCRBY', KEYS[2], counter, n) end
-- unpack() is bounded by Lua's stack: at most 1000 at a time.
for s = 1, #phones, 1000 do
  local e = math.min(#phones, s + 999)
  redis.call('HDEL', KEYS[4], unpack(phones, s, e))
  redis.call('XACK', KEYS[3], ARGV[1], unpack(entries, s, e))
end
return out
