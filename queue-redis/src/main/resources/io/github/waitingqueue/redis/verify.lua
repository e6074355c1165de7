-- verify.lua: whether a reservation still holds its slot.
-- KEYS: meta, queue, leases, joined, ready, audit (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] sequence from the reservation token   ARGV[3] userId from the token
-- Reply: lease expiry ms while held | 0 when expired, completed, released, unknown, or the event is purging

local now = now_ms(ARGV[1])
local held = redis.call('ZSCORE', KEYS[3], lease_member(tonumber(ARGV[2]), ARGV[3]))
if held and tonumber(held) > now and redis.call('HGET', KEYS[1], 'state') ~= STATE_PURGING then
  return tonumber(held)
end
return 0
