-- Queues one batch of a campaign's messages, skipping numbers already queued
-- for it, so submitting a campaign twice never queues anyone twice.
-- KEYS[1] enqueued set  KEYS[2] queue stream  KEYS[3] stats hash  KEYS[4] meta hash
-- ARGV: campaign id, channel, then triples (phone, lang, body)
-- Returns the number of messages added.
local added = 0
for i = 3, #ARGV, 3 do
  local phone = ARGV[i]
  if redis.call('SADD', KEYS[1], phone) == 1 then
    redis.call('XADD', KEYS[2], '*', 'to', phone, 'lang', ARGV[i + 1], 'channel', ARGV[2],
               'campaign', ARGV[1], 'body', ARGV[i + 2])
    added = added + 1
  end
end
if added > 0 then
  redis.call('HINCRBY', KEYS[3], 'queued', added)
  -- New work re-opens a finished campaign.
  if redis.call('HGET', KEYS[4], 'status') == 'done' then
    redis.call('HSET', KEYS[4], 'status', 'sending')
  end
end
return added
