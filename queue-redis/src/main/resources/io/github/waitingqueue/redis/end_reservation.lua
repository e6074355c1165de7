-- end_reservation.lua: completes or releases a held reservation, freeing its capacity slot.
-- KEYS: meta, queue, leases, joined (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] sequence from the reservation token
-- ARGV[3] the counter to count it in: 'completed' or 'released'
-- Reply: 1 ended now | 0 was not held (expired, already ended, unknown)

local now = now_ms(ARGV[1])
local member = fmt_int(tonumber(ARGV[2]))
local held = redis.call('ZSCORE', KEYS[3], member)
purge_expired_leases(now)
if not held or tonumber(held) <= now then
  return 0
end
redis.call('ZREM', KEYS[3], member)
redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
return 1
