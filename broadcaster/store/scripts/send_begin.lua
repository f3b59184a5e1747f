-- Marks that sends of messages are about to start, right before the
-- requests leave, so whoever handles a message next (this process after a
-- time-out, or a peer taking over from a process that died) knows the
-- provider may already have it.
-- One call handles a batch of messages of one campaign (the sender gathers
-- those ready at the same moment); each gets the answer it would get alone.
-- KEYS[1] outcome hash  KEYS[2] sending hash  KEYS[3] stats hash
-- KEYS[4] enqueued set  KEYS[5] meta hash
-- ARGV[1] now (ms since the epoch), then per message three: its phone, this
-- attempt's token, and a token the caller has settled ('' for none): the
-- marker of an attempt that got a definite answer, or whose lookup found
-- nothing
-- The sending hash holds phone -> "<first ms>|<last ms>|<token>": first is the
-- earliest attempt not known to have failed, which bounds a lookup; last is
-- the latest attempt's start, from which the settle time runs.
-- Returns, per message: {'paused'} or {'cancelled'} when staff paused or
-- cancelled the campaign (checked here, in the same step as the marker, so
-- no send starts after a pause is recorded), {'expired'} when it is past the
-- campaign's valid_until, {'erased'} when the number was erased from the
-- campaign on request (`remove --forget`) since it was queued: not to be
-- sent, nothing stored; {'done'} when an outcome is stored already, {'new'}
-- when the marker was written and the caller may send, or {'doubt', marker}
-- when an earlier attempt may have reached the provider (counted as
-- in_doubt).
local now = ARGV[1]
local status = redis.call('HGET', KEYS[5], 'status')
local stopped = (status == 'paused' or status == 'cancelled') and status or nil
local valid_until = tonumber(redis.call('HGET', KEYS[5], 'valid_until_ms') or '')
local expired = valid_until and tonumber(now) > valid_until
local out = {}
for i = 0, (#ARGV - 1) / 3 - 1 do
  local phone, token, settled = ARGV[2 + 3 * i], ARGV[3 + 3 * i], ARGV[4 + 3 * i]
  local verdict
  if redis.call('SISMEMBER', KEYS[4], phone) == 0 then
    verdict = {'erased'}
  elseif redis.call('HEXISTS', KEYS[1], phone) == 1 then
    verdict = {'done'}
  elseif stopped then
    verdict = {stopped}
  elseif expired then
    verdict = {'expired'}
  else
    -- Usually no earlier attempt: the marker is written in the same command
    -- that finds out.
    if redis.call('HSETNX', KEYS[2], phone, now .. '|' .. now .. '|' .. token) == 1 then
      verdict = {'new'}
    else
      local previous = redis.call('HGET', KEYS[2], phone)
      local p_first, _, p_token = string.match(previous, '^(%d+)|(%d+)|(.*)$')
      if p_token ~= settled or settled == '' then
        redis.call('HINCRBY', KEYS[3], 'in_doubt', 1)
        verdict = {'doubt', previous}
      else
        redis.call('HSET', KEYS[2], phone, p_first .. '|' .. now .. '|' .. token)
        verdict = {'new'}
      end
    end
  end
  out[i + 1] = verdict
end
return out
