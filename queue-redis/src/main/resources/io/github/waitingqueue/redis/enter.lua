-- enter.lua: admits a ticket within the allowance: takes one bucket token, removes the ticket from
-- the line and grants a lease. A repeated enter while the lease is held returns the same lease.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId   ARGV[3] sequence from the token
-- ARGV[4] (unused: the join second)   ARGV[5] the event's incarnation from the token, or ''
-- An event that is sold out admits nobody (ENTER_SOLD_OUT); an admission under a per-user limit is
-- recorded in holders.
-- Reply: {outcome (ENTER_*), value, eta seconds, tickets evicted, 1 when admitted by this call else 0}
--        where value is the lease expiry ms when ADMITTED, the position when NOT_READY, else 0

local now = now_ms(ARGV[1])
local user = ARGV[2]
local seq = tonumber(ARGV[3])
local ev = load_event('ttl', 'grace', 'audit', 'ms', 'mt', 'm0', 'fseen', 'ppu')
if not ev then
  return {ENTER_NOT_FOUND, 0, 0, 0, 0}
end
if ev.state == STATE_PURGING then
  return {ENTER_EVENT_CLOSED, 0, 0, 0, 0}
end
if not same_incarnation(ev, ARGV[5]) then
  return {ENTER_NOT_FOUND, 0, 0, sweep_if_due(ev, now), 0}
end
local member = lease_member(seq, user)
local score = score_of(ev, user, seq)
if not score then
  -- not in line: admitted before (the same reservation again), or gone
  local held = redis.call('ZSCORE', KEYS[3], member)
  if held and tonumber(held) > now then
    return {ENTER_ADMITTED, tonumber(held), 0, 0, 0}
  end
  return {ENTER_NOT_FOUND, 0, 0, sweep_if_due(ev, now), 0}
end
if state_of(ev, now) == STATE_CLOSED then
  heartbeat(ev, user, score, now)
  return {ENTER_EVENT_CLOSED, 0, 0, sweep_if_due(ev, now), 0}
end
if ev.state == STATE_SOLD_OUT then
  heartbeat(ev, user, score, now)
  return {ENTER_SOLD_OUT, 0, 0, sweep_if_due(ev, now), 0}
end

local rank = redis.call('ZRANK', KEYS[2], user) + 1
if rank <= allowance(ev, now, rank) then
  local expiry = now + tonumber(ev.ttl)
  -- update the loaded event too, so the sweep below sees the bucket after this admission
  ev.tokens = refilled(ev, now) - 1
  ev.last = math.max(ev.last, now)
  local ms, mt, m0 = measure_after_admission(ev, now)
  ev.ms, ev.mt, ev.m0, ev.mn = ms, mt, m0, ev.mn + 1
  if ev.mn == 1 then
    redis.call('HSET', KEYS[1], 'tokens', fmt_float(ev.tokens), 'last', fmt_int(ev.last), 'ms', ms, 'mt', mt,
      'm0', m0, 'mn', '1')
  else -- the first admission's time (m0) stays
    redis.call('HSET', KEYS[1], 'tokens', fmt_float(ev.tokens), 'last', fmt_int(ev.last), 'ms', ms, 'mt', mt,
      'mn', fmt_int(ev.mn))
  end
  redis.call('ZREM', KEYS[2], user)
  feed_removal(ev, score, now)
  if tonumber(ev.grace) > 0 then
    redis.call('HDEL', KEYS[5], user)
  end
  redis.call('ZADD', KEYS[3], fmt_int(expiry), member)
  if ev.held then
    ev.held = ev.held + 1 -- the sweep below counts this lease
  end
  if (tonumber(ev.ppu) or LIMIT_NONE) ~= LIMIT_NONE then
    redis.call('HSET', KEYS[8], user, fmt_int(seq))
  end
  record(ev, 'entered', user, seq, now)
  return {ENTER_ADMITTED, expiry, 0, sweep_if_due(ev, now), 1}
end
heartbeat(ev, user, score, now)

local evicted = sweep_if_due(ev, now)
if evicted > 0 and not score_of(ev, user, seq) then
  return {ENTER_NOT_FOUND, 0, 0, evicted, 0}
end
if evicted > 0 then
  rank = redis.call('ZRANK', KEYS[2], user) + 1 -- only an eviction moves the line here
end
local _, position, wait = ticket_view(ev, now, rank)
return {ENTER_NOT_READY, position, wait, evicted, 0}
