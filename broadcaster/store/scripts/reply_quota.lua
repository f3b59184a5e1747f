-- Counts one auto-reply to a number in the current hour and says whether it
-- may go: a flood of texts from one number (or a fake sign-up run) cannot
-- make us send more than the configured replies per hour.
-- KEYS[1] reply counter of this number and hour
-- ARGV[1] replies allowed per hour
-- Returns 1 if this reply may be sent, 0 if the cap is reached.
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], 7200) end
if n <= tonumber(ARGV[1]) then return 1 end
return 0
