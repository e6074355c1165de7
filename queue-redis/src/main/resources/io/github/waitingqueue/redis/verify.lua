-- verify.lua: whether a reservation still holds its slot and can still be completed.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] sequence from the reservation token   ARGV[3] userId from the token
-- ARGV[4] the event's incarnation from the token, or '' (tokens of formats 1 and 2)
-- Reply: lease expiry ms while held | 0 when expired, completed, released, unknown, of an earlier life of the
--        event, the event is purging,
--        or no item of its inventory remains (a completion would be refused)

local now = now_ms(ARGV[1])
local held = redis.call('ZSCORE', KEYS[3], lease_member(tonumber(ARGV[2]), ARGV[3]))
if not held or tonumber(held) <= now then
  return 0
end
local m = redis.call('HMGET', KEYS[1], 'state', 'inv', 'completed', 'inc')
local inv = tonumber(m[2]) or 0
if m[1] == STATE_PURGING or (inv > 0 and (tonumber(m[3]) or 0) >= inv)
    or (ARGV[4] ~= '' and tonumber(ARGV[4]) ~= (tonumber(m[4]) or 0)) then
  return 0
end
return tonumber(held)
