-- leave.lua: takes a ticket out of the line; everyone behind moves up at once.
-- KEYS: meta, queue, leases, joined, ready, audit (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId   ARGV[3] sequence from the token
-- Reply: 1 left | 0 not in line (never joined, left before, entered, evicted, or the event is purging)

local now = now_ms(ARGV[1])
local user = ARGV[2]
local seq = tonumber(ARGV[3])
local ev = load_event('grace', 'audit')
if not ev or ev.state == STATE_PURGING or not score_of(ev, user, seq) then
  return 0
end
redis.call('ZREM', KEYS[2], user)
if tonumber(ev.grace) > 0 then
  redis.call('HDEL', KEYS[5], user)
end
redis.call('HINCRBY', KEYS[1], 'left', 1)
record(ev, 'left', user, seq, now)
return 1
