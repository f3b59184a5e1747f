-- Sets one message aside until a later time (quiet hours in the
-- subscriber's zone, the frequency cap, a send time in the recipient's own
-- zone): its queue entry is acknowledged and deleted, and the message kept
-- in the campaign's deferred zset (phone -> due ms) and hash (phone -> the
-- entry's fields as JSON) until undefer.lua queues it again. It keeps no
-- outcome, so the campaign is not done while it waits, and it is never
-- dropped for waiting.
-- KEYS[1] queue stream  KEYS[2] deferred zset  KEYS[3] deferred messages hash
-- KEYS[4] stats hash
-- ARGV[1] consumer group  ARGV[2] entry id ('' when the message was never
-- queued: submit defers it directly)  ARGV[3] phone  ARGV[4] due (ms)
-- ARGV[5] the entry's fields as a JSON object  ARGV[6] counter to increment
-- ('' for none)
-- Returns 1.
if ARGV[2] ~= '' then
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
  redis.call('XDEL', KEYS[1], ARGV[2])
end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[5])
if ARGV[6] ~= '' then redis.call('HINCRBY', KEYS[4], ARGV[6], 1) end
return 1
