-- status.lua: where a ticket stands, without consuming anything.
-- KEYS: meta, queue, leases, joined (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId   ARGV[3] sequence from the token
-- Reply: {state (0 not found, 1 waiting, 2 ready), position, eta seconds, waited seconds}

local now = now_ms(ARGV[1])
local seq = tonumber(ARGV[3])
local ev = load_event()
if not ev then
  return {0, 0, 0, 0}
end
local position = position_of(ARGV[2], seq)
if not position then
  return {0, 0, 0, 0}
end

local allow = allowance(ev, now)
local waited = 0
local mark = redis.call('ZREVRANGEBYSCORE', KEYS[4], seq, '-inf', 'LIMIT', 0, 1)
if mark[1] then
  local joined_second = tonumber(string.match(mark[1], ':(%d+)$'))
  waited = math.max(0, math.floor(now / 1000) - joined_second)
end
if position <= allow then
  return {2, position, 0, waited}
end
return {1, position, eta(ev, position, allow), waited}
