-- Applies one delivery receipt (a provider's status callback or DLR) to one
-- message of one campaign, atomically, so receipts that arrive twice, out of
-- order or at two serve processes at once end in the right final state and
-- are counted once.
-- A message is known only if its outcome says it was sent with this
-- provider id: a receipt for anything else is ignored (answered, not acted
-- on). Its state moves forward only: a receipt applies when its rank is
-- above the stored one; the final states (delivered, undelivered, failed)
-- share the top rank, so a final state is never overwritten, not even by
-- another final one.
-- KEYS[1] outcome hash  KEYS[2] delivery hash (Keys::campaign_delivery)
-- KEYS[3] stats hash
-- ARGV[1] phone (E.164)  ARGV[2] provider id  ARGV[3] state name
-- ARGV[4] state rank     ARGV[5] "1" when final  ARGV[6] error code or ""
-- ARGV[7] counter to increment when it becomes final ("delivered", ...)
-- ARGV[8] counter of its error code ("error:30003"), or ""
-- The final counter is also kept for the message's language,
-- "lang:<language>:<ARGV[7]>" (store/campaign_counters.h), from the language
-- record_outcome.lua stored with the outcome ("sent:<id>|<language>|<ms>");
-- an outcome stored before languages were kept ("sent:<id>") counts in the
-- totals only.
-- Stored per message: "<rank>:<state>:<code>:<ms>", ms the Unix time in
-- milliseconds (Redis's clock, one clock for every serve) the state was reached.
-- Returns "unknown", "stale", "progress" or "final".
local outcome = redis.call('HGET', KEYS[1], ARGV[1])
if not outcome then return 'unknown' end
-- Plain comparisons, not patterns: a provider id may hold any character.
local sent = 'sent:' .. ARGV[2]
local language = nil
if outcome ~= sent then
  if string.sub(outcome, 1, #sent + 1) ~= sent .. '|' then return 'unknown' end
  local rest = string.sub(outcome, #sent + 2)
  local bar = string.find(rest, '|', 1, true)
  language = bar and string.sub(rest, 1, bar - 1) or rest
end
local current = redis.call('HGET', KEYS[2], ARGV[1])
local current_rank = -1
if current then current_rank = tonumber(string.match(current, '^(%d+)')) or -1 end
local rank = tonumber(ARGV[4])
if rank <= current_rank then return 'stale' end
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4] .. ':' .. ARGV[3] .. ':' .. ARGV[6] .. ':' .. string.format('%d', ms))
-- The delivery hash lives and dies with the campaign's other per-message
-- keys: it takes the outcome hash's expiry when that has one.
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
if ARGV[5] ~= '1' then return 'progress' end
redis.call('HINCRBY', KEYS[3], ARGV[7], 1)
if language then redis.call('HINCRBY', KEYS[3], 'lang:' .. language .. ':' .. ARGV[7], 1) end
if ARGV[8] ~= '' then redis.call('HINCRBY', KEYS[3], ARGV[8], 1) end
return 'final'
