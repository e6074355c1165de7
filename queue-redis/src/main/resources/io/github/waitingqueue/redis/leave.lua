-- leave.lua: takes a ticket out of the line; everyone behind moves up at once.
-- KEYS: meta, queue, leases, joined, hb0, hb1, hb2, ready, audit (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId   ARGV[3] sequence from the token
-- Reply: 1 left | 0 not in line

local now = now_ms(ARGV[1])
local seq = tonumber(ARGV[3])
local ev = load_event()
if not ev or not position_of(ARGV[2], seq) then
  return 0
end
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('HDEL', KEYS[8], ARGV[2])
redis.call('HINCRBY', KEYS[1], 'left', 1)
record(ev, 'left', ARGV[2], seq, now)
return 1
