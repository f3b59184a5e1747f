-- Sets aside a queue entry that cannot be read (fields missing or not ours),
-- with the reason, and acknowledges it, so it neither blocks its campaign's
-- end nor is handed from process to process forever. The dead-letter entry
-- keeps only the queue entry id and the reason, never the entry's fields
-- (they may hold a phone number).
-- KEYS[1] queue stream  KEYS[2] dead-letter stream  KEYS[3] stats hash
-- ARGV[1] consumer group  ARGV[2] entry id  ARGV[3] reason  ARGV[4] now (ISO 8601)
-- Returns 1 when set aside now, 0 when it was already acknowledged.
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('XADD', KEYS[2], '*', 'entry', ARGV[2], 'reason', ARGV[3], 'at', ARGV[4])
redis.call('HINCRBY', KEYS[3], 'dead_letter', 1)
return 1
