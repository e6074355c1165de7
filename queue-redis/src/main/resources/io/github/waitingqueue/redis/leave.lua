-- leave.lua: takes a ticket out of the line; everyone behind moves up at once.
-- KEYS: meta, queue, leases, joined (see common.lua)
-- ARGV[1] now ms or '' (unused, kept for a uniform call)   ARGV[2] userId   ARGV[3] sequence from the token
-- Reply: 1 left | 0 not in line

local seq = tonumber(ARGV[3])
if not position_of(ARGV[2], seq) then
  return 0
end
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('HINCRBY', KEYS[1], 'left', 1)
return 1
