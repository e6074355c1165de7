-- join.lua: puts a user at the end of an event's line, or returns the ticket they already hold.
-- Creates the event with the given default settings when it does not exist yet. Before a scheduled
-- opening the ticket goes to the pre-queue: its place under the event's draw, ahead of every later joiner.
-- KEYS: meta, queue, leases, joined, ready, audit (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId
-- ARGV[3..] default settings by name: rate, burst, cap, ttl, idle, grace, audit, auditmax (name, value, ...)
-- Reply: {outcome (JOIN_*), sequence, ticket state (TICKET_*), position, eta seconds, tickets evicted,
--         epoch second of the join (for the waiting token)}
-- Refuses (WQSTATE) before any write: keys of the event exist without its settings; the event issued
-- MAX_SEQUENCE tickets.

local now = now_ms(ARGV[1])
local user = ARGV[2]
local ev = load_event('seq', 'jsec', 'audit')
local score
if ev then
  score = redis.call('ZSCORE', KEYS[2], user)
elseif lost() then
  return refuse('keys of this event exist without its settings: evicted by Redis (see maxmemory-policy)?')
end
local st = ev and state_of(ev, now) or STATE_OPEN
if st == STATE_PURGING or (not score and st == STATE_CLOSED) then
  return {JOIN_EVENT_CLOSED, 0, TICKET_CLOSED, 0, 0, 0, 0}
end

local outcome = JOIN_ALREADY_WAITING
local seq
local second = math.floor(now / 1000)
if score then
  score = tonumber(score)
  seq = seq_of(ev, score)
  heartbeat(ev, user, score, now)
  second = joined_second(seq) or second
else
  outcome = JOIN_JOINED
  seq = 1
  if ev then
    seq = tonumber(ev.seq) + 1
    if seq > MAX_SEQUENCE then
      return refuse('this event has issued its last sequence number; close it and open another')
    end
  else
    ev = create_event(now, settings_from(3))
  end
  -- every check is done: the writes start here. The sequence counts the tickets ever created.
  if tonumber(ev.jsec) ~= second then
    -- index the join time once per second: waiting time costs no memory per user
    redis.call('ZADD', KEYS[4], seq, fmt_int(seq) .. ':' .. fmt_int(second))
    redis.call('HSET', KEYS[1], 'seq', fmt_int(seq), 'jsec', fmt_int(second))
  else
    redis.call('HSET', KEYS[1], 'seq', fmt_int(seq))
  end
  local w = window_of(ev, now)
  if st == STATE_SCHEDULED and seq < PRE_BITS then
    redis.call('ZADD', KEYS[2], prequeue_score(ev, seq, w), user)
  else
    redis.call('ZADD', KEYS[2], fifo_score(seq, w), user)
  end
  record(ev, 'joined', user, seq, now)
end

local evicted = sweep_if_due(ev, now)
local rank = redis.call('ZRANK', KEYS[2], user)
if not rank then
  -- only a ready ticket that overstayed its grace can be swept here; it is gone like any evicted one
  return {outcome, seq, TICKET_NOT_FOUND, 0, 0, evicted, second}
end
local code, position, wait = ticket_view(ev, now, rank + 1)
return {outcome, seq, code, position, wait, evicted, second}
