-- stats.lua: one atomic snapshot of an event's counters and settings.
-- KEYS: meta, queue, leases, joined (see common.lua)
-- ARGV[1] now ms or ''
-- Reply: {exists (1/0), waiting, admitted, joined, entered, left, released, completed,
--         rate per second (string, as stored), burst, capacity, reservation ttl ms}

local now = now_ms(ARGV[1])
local m = redis.call('HMGET', KEYS[1], 'rate', 'burst', 'cap', 'ttl', 'joined', 'entered', 'left',
  'released', 'completed')
if not m[1] then
  return {0, 0, 0, 0, 0, 0, 0, 0, '0', 0, 0, 0}
end
local function n(x)
  return tonumber(x) or 0
end
return {1, redis.call('ZCARD', KEYS[2]), active_leases(now), n(m[5]), n(m[6]), n(m[7]), n(m[8]), n(m[9]),
  m[1], n(m[2]), n(m[3]), n(m[4])}
