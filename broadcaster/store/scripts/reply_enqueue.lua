-- Queues one keyword reply as a campaign of one message (store/keyword_reply.h),
-- at most once per campaign id, which names the inbound message it answers:
-- a retried webhook, or one whose first attempt was cut short after this
-- ran, finds the campaign and queues nothing. The campaign is urgent (ahead
-- of any bulk backlog on its channel) and needs no approval; the sender
-- sends it at any hour and outside the frequency cap (meta.reply).
-- KEYS[1] meta hash  KEYS[2] stats hash  KEYS[3] queue stream
-- KEYS[4] enqueued set
-- ARGV[1] campaign id  ARGV[2] channel  ARGV[3] phone  ARGV[4] lang
-- ARGV[5] body  ARGV[6] to_stopped | not_stopped  ARGV[7] retention ms
-- ARGV[8] now (ISO 8601)  ARGV[9] now (ms)  ARGV[10] the consumer group
-- Field names: queue/queued_message.h, store/campaign_meta.h.
-- Returns {'queued'} when queued now, else {status} of the campaign already
-- there ('sending', 'done', ...).
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {redis.call('HGET', KEYS[1], 'status') or 'sending'}
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'template', '', 'channel', ARGV[2], 'file', '',
           'description', 'keyword reply', 'status', 'sending', 'priority', 'urgent', 'over_cap', 'skip',
           'reply', ARGV[6], 'submitted_at', ARGV[8], 'last_submitted_at', ARGV[8], 'send_at_ms', ARGV[9],
           'retention_ms', ARGV[7])
if redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('XGROUP', 'CREATE', KEYS[3], ARGV[10], '0', 'MKSTREAM')
end
redis.call('SADD', KEYS[4], ARGV[3])
redis.call('XADD', KEYS[3], '*', 'to', ARGV[3], 'lang', ARGV[4], 'channel', ARGV[2], 'campaign', ARGV[1],
           'body', ARGV[5])
redis.call('HSET', KEYS[2], 'queued', 1, 'skipped_no_template', 0)
return {'queued'}
