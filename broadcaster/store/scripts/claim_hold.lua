-- Keeps (or hands back) the queue entries this process holds, but only those
-- it still owns: a peer that took an entry over keeps it.
-- Holding (ARGV[3] = 0) resets each entry's idle time, so no peer's
-- XAUTOCLAIM mistakes a message waiting here (for a rate slot, a retry, an
-- answer) for a dead process's. Handing back (ARGV[3] large) makes the entries
-- look idle for that long, so the next XAUTOCLAIM of any peer takes them at
-- once (used on SIGTERM for messages not yet on the wire).
-- KEYS[1] queue stream
-- ARGV[1] consumer group  ARGV[2] this consumer  ARGV[3] idle ms to set
-- ARGV[4..] entry ids
-- Returns the ids this consumer no longer owns (taken over, or acked).
local lost = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
  if #pending == 1 and pending[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id, 'IDLE', ARGV[3], 'JUSTID')
  else
    lost[#lost + 1] = id
  end
end
return lost
