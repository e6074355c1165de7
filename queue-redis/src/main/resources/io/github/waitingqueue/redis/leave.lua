-- leave.lua: takes a ticket out of the line; everyone behind moves up at once.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId   ARGV[3] sequence from the token
-- ARGV[4] (unused: the join second)   ARGV[5] the event's incarnation from the token, or ''
-- Reply: 1 left | 0 not in line (never joined, left before, entered, evicted, or the event is purging)

local now = now_ms(ARGV[1])
local user = ARGV[2]
local seq = tonumber(ARGV[3])
local ev = load_event('grace', 'audit', 'fseen')
local score = ev and ev.state ~= STATE_PURGING and same_incarnation(ev, ARGV[5]) and score_of(ev, user, seq)
if not score then
  return 0
end
redis.call('ZREM', KEYS[2], user)
feed_removal(ev, score, now)
if tonumber(ev.grace) > 0 then
  redis.call('HDEL', KEYS[5], user)
end
redis.call('HINCRBY', KEYS[1], 'left', 1)
record(ev, 'left', user, seq, now)
return 1
