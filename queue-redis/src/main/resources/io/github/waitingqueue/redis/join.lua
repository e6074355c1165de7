-- join.lua: puts a user at the end of an event's line, or returns the ticket they already hold.
-- Creates the event with the given default settings when it does not exist yet.
-- KEYS: meta, queue, leases, joined (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId
-- ARGV[3] default rate per second   ARGV[4] default burst   ARGV[5] default capacity (0 = unlimited)
-- ARGV[6] default reservation ttl ms
-- Reply: {outcome (1 joined, 2 already waiting), sequence, position, eta seconds, ready (1/0)}

local now = now_ms(ARGV[1])
local user = ARGV[2]
local ev = load_event()
if not ev then
  redis.call('HSET', KEYS[1], 'rate', ARGV[3], 'burst', ARGV[4], 'cap', ARGV[5], 'ttl', ARGV[6],
    'tokens', ARGV[4], 'last', fmt_int(now), 'seq', 0)
  ev = load_event()
end

local outcome = 2
local seq
local score = redis.call('ZSCORE', KEYS[2], user)
if score then
  seq = tonumber(score)
else
  outcome = 1
  seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  redis.call('ZADD', KEYS[2], seq, user)
  redis.call('HINCRBY', KEYS[1], 'joined', 1)
  -- Index the join time once per second: waiting time costs no memory per user.
  local second = math.floor(now / 1000)
  if tonumber(redis.call('HGET', KEYS[1], 'jsec')) ~= second then
    redis.call('ZADD', KEYS[4], seq, fmt_int(seq) .. ':' .. fmt_int(second))
    redis.call('HSET', KEYS[1], 'jsec', fmt_int(second))
  end
end

local position = redis.call('ZRANK', KEYS[2], user) + 1
local allow = allowance(ev, now)
local ready = 0
if position <= allow then
  ready = 1
end
return {outcome, seq, position, eta(ev, position, allow), ready}
