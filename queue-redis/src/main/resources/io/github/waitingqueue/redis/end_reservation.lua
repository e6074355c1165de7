-- end_reservation.lua: completes or releases a held reservation, freeing its capacity slot.
-- KEYS: meta, queue, leases, joined, ready, audit (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] sequence from the reservation token   ARGV[3] userId from the token
-- ARGV[4] what happened: 'completed' or 'released' (also the counter and audit action)
-- Reply: 1 ended now | 0 was not held (expired, already ended, unknown, or the event is purging)

local now = now_ms(ARGV[1])
local ev = load_event('audit')
if not ev or ev.state == STATE_PURGING then
  return 0
end
local member = lease_member(tonumber(ARGV[2]), ARGV[3])
local held = redis.call('ZSCORE', KEYS[3], member)
if not held or tonumber(held) <= now then
  return 0
end
redis.call('ZREM', KEYS[3], member)
redis.call('HINCRBY', KEYS[1], ARGV[4], 1)
record(ev, ARGV[4], ARGV[3], tonumber(ARGV[2]), now)
return 1
