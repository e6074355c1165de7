-- common.lua: helpers prepended to every operation script of waiting-queue (not run on its own).
--
-- Every operation script receives the same KEYS, all inside one {eventId} hash tag:
--   KEYS[1] meta    hash: settings (rate, burst, cap, ttl), rate bucket (tokens, last), seq,
--                   counters (joined, entered, left, released, completed), jsec (last indexed second)
--   KEYS[2] queue   sorted set: member userId, score = sequence number assigned at join
--   KEYS[3] leases  sorted set: member sequence number of an admitted ticket, score = expiry (ms)
--   KEYS[4] joined  sorted set: one member "<seq>:<second>" per second in which anybody joined,
--                   score = first sequence of that second; gives join time without per-user data
-- ARGV[1] is always the time in epoch ms for tests, or '' to use Redis server TIME.
-- Scripts return integers and arrays of integers only, so replies read the same in RESP2 and RESP3.

if redis.replicate_commands then
  -- Redis 6.2 needs effects replication for TIME followed by writes; a no-op from Redis 7 on.
  pcall(redis.replicate_commands)
end

local function now_ms(arg)
  if arg ~= nil and arg ~= '' then
    return tonumber(arg)
  end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- The event's settings and bucket, or nil when the event does not exist.
local function load_event()
  local v = redis.call('HMGET', KEYS[1], 'rate', 'burst', 'cap', 'ttl', 'tokens', 'last')
  if not v[1] then
    return nil
  end
  return {
    rate = tonumber(v[1]), burst = tonumber(v[2]), cap = tonumber(v[3]), ttl = tonumber(v[4]),
    tokens = tonumber(v[5]), last = tonumber(v[6])
  }
end

-- Tokens in the bucket at now. The same arithmetic, in the same order, as InMemoryWaitingQueue.
local function refilled(ev, now)
  local t = ev.tokens + math.max(0, now - ev.last) * ev.rate / 1000
  if t > ev.burst then
    t = ev.burst
  end
  return t
end

-- Reservations held at now: expired leases still in the set are not counted, purged or not.
local function active_leases(now)
  return redis.call('ZCARD', KEYS[3]) - redis.call('ZCOUNT', KEYS[3], '-inf', now)
end

-- How many positions from the head may enter now: min(whole tokens, free capacity).
local function allowance(ev, now)
  local a = math.floor(refilled(ev, now))
  if ev.cap > 0 then
    local free = ev.cap - active_leases(now)
    if free < 0 then
      free = 0
    end
    if free < a then
      a = free
    end
  end
  return a
end

local function eta(ev, position, allow)
  if position <= allow then
    return 0
  end
  return math.ceil((position - allow) / ev.rate)
end

-- The ticket's 1-based position if userId waits with exactly this sequence number, else nil.
local function position_of(user, seq)
  local score = redis.call('ZSCORE', KEYS[2], user)
  if not score or tonumber(score) ~= seq then
    return nil
  end
  return redis.call('ZRANK', KEYS[2], user) + 1
end

-- Removes at most 16 expired leases, so no call does unbounded work.
local function purge_expired_leases(now)
  local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 16)
  if #old > 0 then
    redis.call('ZREM', KEYS[3], unpack(old))
  end
end

local function fmt_int(n)
  return string.format('%d', n)
end

local function fmt_float(x)
  return string.format('%.17g', x)
end

-- ---- operation ----
