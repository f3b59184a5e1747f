-- Keeps a text that was not a keyword for staff to read, once per inbound
-- message however often the provider retries the webhook.
-- KEYS[1] seen key of the inbound message   KEYS[2] inbox stream
-- ARGV[1] seconds to remember the message (0: it has no id, do not)
-- ARGV[2] approximate inbox cap
-- ARGV[3..] field, value pairs of the entry
-- Returns the entry id, or "duplicate".
local remember = tonumber(ARGV[1])
if remember > 0 and redis.call('EXISTS', KEYS[1]) == 1 then return 'duplicate' end
local entry = {}
for i = 3, #ARGV do entry[#entry + 1] = ARGV[i] end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', unpack(entry))
if remember > 0 then redis.call('SET', KEYS[1], '1', 'EX', remember) end
return id
