-- Applying one delivery receipt to one message, shared by
-- delivery_receipt.lua (a receipt as it arrives) and record_outcome.lua (a
-- receipt that arrived before the message's outcome was recorded):
-- store/scripts.cpp puts this text in front of both. Defines locals only.
-- A message is known only if its outcome says it was sent with this
-- provider id: a receipt for anything else is not applied. Its state moves
-- forward only: a receipt applies when its rank is above the stored one; the
-- final states (delivered, undelivered, failed) share the top rank, so a
-- final state is never overwritten, not even by another final one.
-- The final counter is also kept for the message's language,
-- "lang:<language>:<counter>" (store/campaign_counters.h), from the language
-- record_outcome.lua stored with the outcome ("sent:<id>|<language>|<ms>");
-- an outcome stored before languages were kept ("sent:<id>") counts in the
-- totals only.
-- Stored per message in the delivery hash: "<rank>:<state>:<code>:<ms>", ms
-- the Unix time in milliseconds (Redis's clock, one clock for every serve)
-- the state was reached.
-- r: {id = provider id, state = state name, rank = number, final = '1' or
-- '0', code = error code or '', counter = counter to increment when it
-- becomes final ('delivered', ...), code_counter = 'error:<code>' or ''}
-- Returns 'unknown', 'stale', 'progress' or 'final'.
local function receipt_apply(outcome_key, delivery_key, stats_key, phone, r)
  local outcome = redis.call('HGET', outcome_key, phone)
  if not outcome then return 'unknown' end
  -- Plain comparisons, not patterns: a provider id may hold any character.
  local sent = 'sent:' .. r.id
  local language = nil
  if outcome ~= sent then
    if string.sub(outcome, 1, #sent + 1) ~= sent .. '|' then return 'unknown' end
    local rest = string.sub(outcome, #sent + 2)
    local bar = string.find(rest, '|', 1, true)
    language = bar and string.sub(rest, 1, bar - 1) or rest
  end
  local current = redis.call('HGET', delivery_key, phone)
  local current_rank = -1
  if current then current_rank = tonumber(string.match(current, '^(%d+)')) or -1 end
  if r.rank <= current_rank then return 'stale' end
  local now = redis.call('TIME')
  local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  redis.call('HSET', delivery_key, phone, r.rank .. ':' .. r.state .. ':' .. r.code .. ':' .. string.format('%d', ms))
  -- The delivery hash lives and dies with the campaign's other per-message
  -- keys: it takes the outcome hash's expiry when that has one.
  local ttl = redis.call('PTTL', outcome_key)
  if ttl > 0 then redis.call('PEXPIRE', delivery_key, ttl) end
  if r.final ~= '1' then return 'progress' end
  redis.call('HINCRBY', stats_key, r.counter, 1)
  if language then redis.call('HINCRBY', stats_key, 'lang:' .. language .. ':' .. r.counter, 1) end
  if r.code_counter ~= '' then redis.call('HINCRBY', stats_key, r.code_counter, 1) end
  return 'final'
end
