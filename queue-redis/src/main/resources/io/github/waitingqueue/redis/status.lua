-- status.lua: where a ticket stands. Consumes no admission; counts as the ticket's heartbeat, and
-- sweeps the event when a sweep is due.
-- KEYS: meta, queue, leases, joined, hb0, hb1, hb2, ready, audit (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId   ARGV[3] sequence from the token
-- Reply: {ticket state code (see common.lua), position, eta seconds, waited seconds, tickets evicted}

local now = now_ms(ARGV[1])
local seq = tonumber(ARGV[3])
local ev = load_event()
if not ev then
  return {0, 0, 0, 0, 0}
end
rotate_windows(ev, now)
local rank = position_of(ARGV[2], seq)
if rank then
  heartbeat(ev, seq, now)
end
local evicted = sweep_if_due(ev, now)
if evicted > 0 then
  rank = position_of(ARGV[2], seq) -- the sweep may have removed tickets ahead
end
if not rank then
  return {0, 0, 0, 0, evicted}
end

local code, position, wait = ticket_view(ev, now, rank)
local waited = 0
local mark = redis.call('ZREVRANGEBYSCORE', KEYS[4], seq, '-inf', 'LIMIT', 0, 1)
if mark[1] then
  local joined_second = tonumber(string.match(mark[1], ':(%d+)$'))
  waited = math.max(0, math.floor(now / 1000) - joined_second)
end
return {code, position, wait, waited, evicted}
