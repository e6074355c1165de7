-- end_reservation.lua: completes or releases a held reservation, freeing its capacity slot. A completion
-- consumes one item of the inventory; the one that sells the last item makes the event 'sold_out'.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] sequence from the reservation token   ARGV[3] userId from the token
-- ARGV[4] what happened: 'completed' or 'released' (also the counter and audit action)
-- ARGV[5] the event's incarnation from the token, or '' (tokens of formats 1 and 2)
-- Reply: 1 ended now | 0 was not held (expired, already ended, unknown, or the event is purging)
--        | -1 a completion refused, nothing changed: no item remains (the event is sold out)

local now = now_ms(ARGV[1])
local ev = load_event('audit', 'inv', 'completed', 'ppu')
if not ev or ev.state == STATE_PURGING or not same_incarnation(ev, ARGV[5]) then
  return 0
end
local seq, user, action = ARGV[2], ARGV[3], ARGV[4]
local member = lease_member(tonumber(seq), user)
local held = redis.call('ZSCORE', KEYS[3], member)
if not held or tonumber(held) <= now then
  return 0
end
if action == 'completed' and items_gone(ev) then
  return -1
end
redis.call('ZREM', KEYS[3], member)
record_end(ev, now)
if action == 'completed' and tonumber(ev.ppu) == LIMIT_ONE_PURCHASE then
  redis.call('HSET', KEYS[8], user, 'bought')
else
  release_holder(user, seq)
end
local count = redis.call('HINCRBY', KEYS[1], action, 1)
record(ev, action, user, tonumber(seq), now)
if action == 'completed' then
  ev.completed = fmt_int(count)
  if items_gone(ev) and ev.state ~= STATE_CLOSED then
    sell_out(ev, now)
  end
end
return 1
