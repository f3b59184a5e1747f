-- Applies one delivery receipt (a provider's status callback or DLR) to one
-- message of one campaign, atomically, so receipts that arrive twice, out of
-- order or at two serve processes at once end in the right final state and
-- are counted once (receipt_common.lua, in front of this text, says how).
-- A receipt can arrive before the sender has recorded the message as sent
-- (the provider calls back while its answer to the send is still on the
-- way): when the message's send marker is there (a send is under way) the
-- receipt is kept in the early-receipts hash, the highest-ranked one per
-- number, and record_outcome.lua applies it in the same step as it records
-- the message as sent with that id. Anything else is ignored (answered, not
-- acted on).
-- KEYS[1] outcome hash  KEYS[2] delivery hash (Keys::campaign_delivery)
-- KEYS[3] stats hash  KEYS[4] sending hash (send markers)  KEYS[5] early
-- receipts hash (Keys::campaign_early_receipts)
-- ARGV[1] phone (E.164)  ARGV[2] provider id  ARGV[3] state name
-- ARGV[4] state rank     ARGV[5] "1" when final  ARGV[6] error code or ""
-- ARGV[7] counter to increment when it becomes final ("delivered", ...)
-- ARGV[8] counter of its error code ("error:30003"), or ""
-- Returns "unknown", "stale", "progress", "final" or "early" (kept).
local r = {id = ARGV[2], state = ARGV[3], rank = tonumber(ARGV[4]), final = ARGV[5], code = ARGV[6],
           counter = ARGV[7], code_counter = ARGV[8]}
local result = receipt_apply(KEYS[1], KEYS[2], KEYS[3], ARGV[1], r)
if result ~= 'unknown' or redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or
    redis.call('HEXISTS', KEYS[4], ARGV[1]) == 0 then
  return result
end
local kept = redis.call('HGET', KEYS[5], ARGV[1])
if kept then
  local k = cjson.decode(kept)
  if k.id == r.id and k.rank >= r.rank then return 'early' end
end
redis.call('HSET', KEYS[5], ARGV[1], cjson.encode(r))
return 'early'
