-- Marks that a send of one message is about to start, right before the
-- request leaves, so whoever handles the message next (this process after a
-- time-out, or a peer taking over from a process that died) knows the
-- provider may already have it.
-- KEYS[1] outcome hash  KEYS[2] sending hash  KEYS[3] stats hash
-- KEYS[4] enqueued set  KEYS[5] meta hash
-- ARGV[1] phone  ARGV[2] now (ms since the epoch)  ARGV[3] this attempt's
-- token  ARGV[4] a token the caller has settled ('' for none): the marker of
-- an attempt that got a definite answer, or whose lookup found nothing
-- The sending hash holds phone -> "<first ms>|<last ms>|<token>": first is the
-- earliest attempt not known to have failed, which bounds a lookup; last is
-- the latest attempt's start, from which the settle time runs.
-- Returns {'paused'} or {'cancelled'} when staff paused or cancelled the
-- campaign (checked here, in the same step as the marker, so no send starts
-- after a pause is recorded), {'expired'} when it is past the campaign's
-- valid_until, {'erased'} when the number was erased from the campaign on request
-- (`remove --forget`) since it was queued: not to be sent, nothing stored;
-- {'done'} when an outcome is stored already, {'new'} when the
-- marker was written and the caller may send, or {'doubt', marker} when an
-- earlier attempt may have reached the provider (counted as in_doubt).
if redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 0 then return {'erased'} end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return {'done'} end
local status = redis.call('HGET', KEYS[5], 'status')
if status == 'paused' or status == 'cancelled' then return {status} end
local valid_until = tonumber(redis.call('HGET', KEYS[5], 'valid_until_ms') or '')
if valid_until and tonumber(ARGV[2]) > valid_until then return {'expired'} end
local previous = redis.call('HGET', KEYS[2], ARGV[1])
local first = ARGV[2]
if previous then
  local p_first, p_last, p_token = string.match(previous, '^(%d+)|(%d+)|(.*)$')
  if p_token ~= ARGV[4] or ARGV[4] == '' then
    redis.call('HINCRBY', KEYS[3], 'in_doubt', 1)
    return {'doubt', previous}
  end
  first = p_first
end
redis.call('HSET', KEYS[2], ARGV[1], first .. '|' .. ARGV[2] .. '|' .. ARGV[3])
return {'new'}
