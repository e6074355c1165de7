-- enter.lua: admits a ticket within the allowance: takes one bucket token, removes the ticket from
-- the line and grants a lease. A repeated enter while the lease is held returns the same lease.
-- KEYS: meta, queue, leases, joined, hb0, hb1, hb2, ready, audit (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId   ARGV[3] sequence from the token
-- Reply: {0, evicted} not found | {1, position, eta seconds, evicted} not ready
--        | {2, lease expiry ms, evicted, 1 when admitted now / 0 when admitted before}
--        | {3, evicted} event closed

local now = now_ms(ARGV[1])
local user = ARGV[2]
local seq = tonumber(ARGV[3])
local member = lease_member(seq, user)
local ev = load_event()
if not ev then
  return {0, 0}
end
rotate_windows(ev, now)

local held = redis.call('ZSCORE', KEYS[3], member)
if held and tonumber(held) > now then
  return {2, tonumber(held), 0, 0}
end
purge_expired_leases(ev, now)

local position = position_of(user, seq)
if not position then
  return {0, sweep_if_due(ev, now)}
end
heartbeat(ev, seq, now)
if state_of(ev, now) == 'closed' then
  return {3, sweep_if_due(ev, now)}
end

if position <= allowance(ev, now) then
  local expiry = now + ev.ttl
  -- update the loaded event too, so the sweep below sees the bucket after this admission
  ev.tokens = refilled(ev, now) - 1
  ev.last = math.max(ev.last, now)
  redis.call('HSET', KEYS[1], 'tokens', fmt_float(ev.tokens), 'last', fmt_int(ev.last))
  redis.call('ZREM', KEYS[2], user)
  redis.call('HDEL', KEYS[8], user)
  redis.call('ZADD', KEYS[3], expiry, member)
  redis.call('HINCRBY', KEYS[1], 'entered', 1)
  note_admission(ev, now)
  record(ev, 'entered', user, seq, now)

  -- Drop join-time marks below the one the new head of the line needs, at most 64 a call,
  -- always keeping the newest mark (the next join in the same second relies on it). Only with a
  -- FIFO ticket at the head: its sequence is then the lowest in line (pre-queue ones are shuffled).
  local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  local keep
  if head[2] then
    if tonumber(head[2]) >= 1 then
      local needed = redis.call('ZREVRANGEBYSCORE', KEYS[4], head[2], '-inf', 'LIMIT', 0, 1)
      if needed[1] then
        keep = redis.call('ZRANK', KEYS[4], needed[1])
      end
    end
  else
    keep = redis.call('ZCARD', KEYS[4]) - 1
  end
  if keep and keep > 0 then
    redis.call('ZREMRANGEBYRANK', KEYS[4], 0, math.min(keep, 64) - 1)
  end
  return {2, expiry, sweep_if_due(ev, now), 1}
end

local evicted = sweep_if_due(ev, now)
local rank = position_of(user, seq)
if not rank then
  return {0, evicted}
end
local _, pos, wait = ticket_view(ev, now, rank)
return {1, pos, wait, evicted}
