-- Active subscribers matching an audience: language in any of the given
-- language indexes (all languages when none) and tag in any of the given tag
-- indexes (any tags when none).
-- KEYS[1] active set  KEYS[2] scratch key for languages  KEYS[3] scratch key for tags
-- KEYS[4 .. 3+n_lang] language indexes, then n_tag tag indexes
-- ARGV: n_lang, n_tag, mode ("members" or "count")
local n_lang, n_tag, mode = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local sets = {KEYS[1]}
if n_lang > 0 then
  local langs = {}
  for i = 1, n_lang do langs[i] = KEYS[3 + i] end
  redis.call('SUNIONSTORE', KEYS[2], unpack(langs))
  table.insert(sets, KEYS[2])
end
if n_tag > 0 then
  local tags = {}
  for i = 1, n_tag do tags[i] = KEYS[3 + n_lang + i] end
  redis.call('SUNIONSTORE', KEYS[3], unpack(tags))
  table.insert(sets, KEYS[3])
end
local result
if mode == 'count' then
  result = redis.call('SINTERCARD', #sets, unpack(sets))
else
  result = redis.call('SINTER', unpack(sets))
end
redis.call('DEL', KEYS[2], KEYS[3])
return result
