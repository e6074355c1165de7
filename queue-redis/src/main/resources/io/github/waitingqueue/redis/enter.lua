-- enter.lua: admits a ticket within the allowance: takes one bucket token, removes the ticket from
-- the line and grants a lease. A repeated enter while the lease is held returns the same lease.
-- KEYS: meta, queue, leases, joined (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId   ARGV[3] sequence from the token
-- Reply: {0} not found | {1, position, eta seconds} not ready | {2, lease expiry ms} admitted

local now = now_ms(ARGV[1])
local seq = tonumber(ARGV[3])
local member = fmt_int(seq)
local ev = load_event()
if not ev then
  return {0}
end

local held = redis.call('ZSCORE', KEYS[3], member)
if held and tonumber(held) > now then
  return {2, tonumber(held)}
end
purge_expired_leases(now)

local position = position_of(ARGV[2], seq)
if not position then
  return {0}
end
local allow = allowance(ev, now)
if position > allow then
  return {1, position, eta(ev, position, allow)}
end

local expiry = now + ev.ttl
redis.call('HSET', KEYS[1], 'tokens', fmt_float(refilled(ev, now) - 1), 'last', fmt_int(math.max(ev.last, now)))
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], expiry, member)
redis.call('HINCRBY', KEYS[1], 'entered', 1)

-- Drop join-time marks below the one the new head of the line needs, at most 64 a call,
-- always keeping the newest mark (the next join in the same second relies on it).
local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
local keep
if head[2] then
  local needed = redis.call('ZREVRANGEBYSCORE', KEYS[4], head[2], '-inf', 'LIMIT', 0, 1)
  if needed[1] then
    keep = redis.call('ZRANK', KEYS[4], needed[1])
  end
else
  keep = redis.call('ZCARD', KEYS[4]) - 1
end
if keep and keep > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[4], 0, math.min(keep, 64) - 1)
end
return {2, expiry}
