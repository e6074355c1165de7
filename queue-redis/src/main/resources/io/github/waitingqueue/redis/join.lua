-- join.lua: puts a user at the end of an event's line, or returns the ticket they already hold.
-- Creates the event with the given default settings when it does not exist yet. Before a scheduled
-- opening the ticket goes to the pre-queue: a random place ahead of every later joiner.
-- KEYS: meta, queue, leases, joined, hb0, hb1, hb2, ready, audit (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId   ARGV[3] a random integer in [0, 2^26) for the pre-queue
-- ARGV[4..11] default settings: rate per second, burst, capacity (0 = unlimited), reservation ttl ms,
--   idle timeout ms (0 = never), ready grace ms (0 = never), audit ('1'/'0'), audit max length
-- Reply: {outcome (1 joined, 2 already waiting, 3 event closed), sequence, ticket state code,
--         position, eta seconds, tickets evicted by this call}

local now = now_ms(ARGV[1])
local user = ARGV[2]
local ev = load_event()
if not ev then
  create_event(now, {ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11]})
  ev = load_event()
end
rotate_windows(ev, now)
local st = state_of(ev, now)

local outcome = 2
local seq
local score = redis.call('ZSCORE', KEYS[2], user)
if score then
  seq = seq_of_score(tonumber(score))
elseif st == 'closed' then
  return {3, 0, 5, 0, 0, sweep_if_due(ev, now)}
else
  outcome = 1
  seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  if st == 'scheduled' and seq < PRE_BITS then
    redis.call('ZADD', KEYS[2], prequeue_score(seq, tonumber(ARGV[3])), user)
  else
    redis.call('ZADD', KEYS[2], seq, user)
  end
  redis.call('HINCRBY', KEYS[1], 'joined', 1)
  -- Index the join time once per second: waiting time costs no memory per user.
  local second = math.floor(now / 1000)
  if tonumber(redis.call('HGET', KEYS[1], 'jsec')) ~= second then
    redis.call('ZADD', KEYS[4], seq, fmt_int(seq) .. ':' .. fmt_int(second))
    redis.call('HSET', KEYS[1], 'jsec', fmt_int(second))
  end
  record(ev, 'joined', user, seq, now)
end
heartbeat(ev, seq, now)

local evicted = sweep_if_due(ev, now)
local rank = redis.call('ZRANK', KEYS[2], user)
if not rank then
  -- only a ready ticket that overstayed its grace can be swept here; it is gone like any evicted one
  return {outcome, seq, 0, 0, 0, evicted}
end
local code, position, wait = ticket_view(ev, now, rank + 1)
return {outcome, seq, code, position, wait, evicted}
