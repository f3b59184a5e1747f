-- Removes consumers of a campaign's group that hold nothing and have been
-- silent for a while: the processes that ran them are gone (or will simply
-- come back as new consumers, which XREADGROUP creates by itself). A consumer
-- that still holds entries is kept whatever its age, since deleting it would
-- drop those entries from the group for good.
-- KEYS[1] queue stream
-- ARGV[1] consumer group  ARGV[2] minimum idle ms  ARGV[3] a consumer to
-- remove regardless of idle time when it holds nothing ('' for none: a
-- process leaving removes itself)
-- Returns the number of consumers removed.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
if not ok then return 0 end  -- no such group yet
local removed = 0
local min_idle = tonumber(ARGV[2])
for _, c in ipairs(consumers) do
  local info = {}
  for i = 1, #c, 2 do info[c[i]] = c[i + 1] end
  if tonumber(info['pending']) == 0 and (info['name'] == ARGV[3] or tonumber(info['idle']) >= min_idle) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
    removed = removed + 1
  end
end
return removed
