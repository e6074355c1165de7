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
-- a lease whose event lost its settings hash is judged as one of an event without inventory, of incarnation 0
local ev = load_event('inv', 'completed') or {state = false, inc = 0, inv = '0'}
if ev.state == STATE_PURGING or items_gone(ev) or not same_incarnation(ev, ARGV[4]) then
  return 0
end
return tonumber(held)
