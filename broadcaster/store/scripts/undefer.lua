-- Queues again the deferred messages of one campaign that are due (see
-- defer.lua), at most ARGV[2] of them, with the fields they had.
-- KEYS[1] queue stream  KEYS[2] deferred zset  KEYS[3] deferred messages hash
-- ARGV[1] now (ms)  ARGV[2] at most this many
-- Returns the number queued again.
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, phone in ipairs(due) do
  local json = redis.call('HGET', KEYS[3], phone)
  if json then
    local fields = cjson.decode(json)
    local argv = {}
    for name, value in pairs(fields) do  -- the fields queue/queued_message.h declares
      argv[#argv + 1] = name
      argv[#argv + 1] = value
    end
    redis.call('XADD', KEYS[1], '*', unpack(argv))
  end
  redis.call('ZREM', KEYS[2], phone)
  redis.call('HDEL', KEYS[3], phone)
end
return #due
