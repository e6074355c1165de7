-- common.lua: helpers prepended to every operation script of waiting-queue (not run on its own).
--
-- Every operation script receives the same KEYS, all inside one {eventId} hash tag:
--   KEYS[1] meta    hash: settings (rate, burst, cap, ttl, idle, grace, audit, auditmax), state and opens,
--                   rate bucket (tokens, last), seq, counters (joined, entered, left, evicted, released,
--                   completed), measured rate (ms, mt, m0, mn), heartbeat windows (hbw, hbsince),
--                   sweep (swept, cur), jsec (last indexed second)
--   KEYS[2] queue   sorted set: member userId, score = order. FIFO tickets: score = sequence number.
--                   Pre-queue tickets (joined before a scheduled opening): a negative random score that
--                   encodes the sequence number (see prequeue_score), so they sort ahead, shuffled.
--   KEYS[3] leases  sorted set: member "<sequence>:<userId>" of an admitted ticket, score = expiry (ms);
--                   the user in the member keeps an old token from matching a reused sequence number
--   KEYS[4] joined  sorted set: one member "<seq>:<second>" per second in which anybody joined,
--                   score = first sequence of that second; gives join time without per-user data
--   KEYS[5..7] hb   three bitmaps, bit = sequence number, one per heartbeat window (idle timeout / 2)
--                   modulo 3: a ticket whose bit is in none of the last three windows is idle
--   KEYS[8] ready   hash: userId -> ms when first seen within the allowance (head of the line only)
--   KEYS[9] audit   stream: the audit trail, when enabled
-- ARGV[1] is always the time in epoch ms for tests, or '' to use Redis server TIME.
-- Scripts return integers, strings and arrays of them only, so replies read the same in RESP2 and RESP3.
-- Scripts call TIME before writing: Redis 6.2 must keep its default lua-replicate-commands yes (effects
-- replication), which Redis 7 always uses.


local SWEEP_INTERVAL_MS = 250 -- an event is swept at most this often by ordinary calls
local SWEEP_BATCH = 16        -- tickets examined for idleness per sweep
local READY_MARKS = 32        -- head tickets whose ready time is tracked
local LEASE_PURGE = 16        -- expired leases removed per call
local EWMA_TAU_S = 30         -- time constant of the measured admission rate
local EWMA_MIN_ADMISSIONS = 5 -- admissions before the measured rate replaces the configured one
local PRE_BITS = 67108864     -- 2^26: pre-queue sequence numbers stay below it
local PRE_MUL = 39083849      -- odd, so multiplying modulo 2^26 permutes sequence numbers
local PRE_INV = 65716985      -- PRE_MUL's inverse modulo 2^26

local function now_ms(arg)
  if arg ~= nil and arg ~= '' then
    return tonumber(arg)
  end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function fmt_int(n)
  return string.format('%d', n)
end

local function fmt_float(x)
  return string.format('%.17g', x)
end

-- The event's settings and state, or nil when the event does not exist. Fields are read in one HMGET
-- and assigned by position: this runs on every call, so it avoids building lookup tables.
local function load_event()
  local v = redis.call('HMGET', KEYS[1], 'rate', 'burst', 'cap', 'ttl', 'idle', 'grace', 'audit', 'auditmax',
    'state', 'opens', 'tokens', 'last', 'ms', 'mt', 'm0', 'mn', 'hbw', 'hbsince', 'swept', 'cur')
  if not v[1] then
    return nil
  end
  return {
    rate = tonumber(v[1]), burst = tonumber(v[2]), cap = tonumber(v[3]), ttl = tonumber(v[4]),
    idle = tonumber(v[5]), grace = tonumber(v[6]), audit = v[7], auditmax = tonumber(v[8]),
    state = v[9] or 'open', opens = tonumber(v[10]) or 0, tokens = tonumber(v[11]), last = tonumber(v[12]),
    ms = tonumber(v[13]) or 0, mt = tonumber(v[14]) or 0, m0 = tonumber(v[15]) or 0, mn = tonumber(v[16]) or 0,
    hbw = v[17], hbsince = v[18], swept = tonumber(v[19]) or 0, cur = v[20]
  }
end

-- 'open', 'paused', 'closed', or 'scheduled' until the opening time passes.
local function state_of(ev, now)
  if ev.state == 'scheduled' and now >= ev.opens then
    return 'open'
  end
  return ev.state
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

-- How many positions from the head may enter now: min(whole tokens, free capacity); 0 unless open.
local function allowance(ev, now)
  if state_of(ev, now) ~= 'open' then
    return 0
  end
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

-- Admissions per second for ETAs: an exponentially weighted moving average of real admissions
-- (bias-corrected for the time since the first one), after EWMA_MIN_ADMISSIONS of them; before that,
-- or when it falls below 1% of the configured rate, the configured rate (floor).
local function measured_rate(ev, now)
  if ev.mn < EWMA_MIN_ADMISSIONS then
    return 0
  end
  local weight = ev.ms * math.exp(-math.max(0, now - ev.mt) / 1000 / EWMA_TAU_S)
  -- at least one second of observation, so a burst of admissions in one instant reads as a rate
  local elapsed = math.max(now - ev.m0, 1000)
  return weight / (EWMA_TAU_S * (1 - math.exp(-elapsed / 1000 / EWMA_TAU_S)))
end

local function eta_rate(ev, now)
  if ev.mn < EWMA_MIN_ADMISSIONS then
    return ev.rate
  end
  return math.max(measured_rate(ev, now), ev.rate / 100)
end

local function eta(ev, now, position, allow)
  if position <= allow then
    return 0
  end
  return math.ceil((position - allow) / eta_rate(ev, now))
end

-- Pre-queue order: random high bits, then the sequence number permuted (so ties carry no arrival
-- edge), negated so that every pre-queue ticket sorts ahead of every FIFO ticket (scores >= 1).
local function prequeue_score(seq, random26)
  return -(random26 * PRE_BITS + (seq * PRE_MUL) % PRE_BITS)
end

local function seq_of_score(score)
  if score >= 1 then
    return score
  end
  return ((-score) % PRE_BITS) * PRE_INV % PRE_BITS
end

-- The ticket's 1-based rank if userId waits with exactly this sequence number, else nil.
local function position_of(user, seq)
  local score = redis.call('ZSCORE', KEYS[2], user)
  if not score or seq_of_score(tonumber(score)) ~= seq then
    return nil
  end
  return redis.call('ZRANK', KEYS[2], user) + 1
end

local function record(ev, action, user, seq, now)
  if ev.audit == '1' then
    redis.call('XADD', KEYS[9], 'MAXLEN', '~', ev.auditmax, '*', 'action', action, 'user', user,
      'seq', fmt_int(seq), 'at', fmt_int(now))
  end
end

-- Removes at most LEASE_PURGE expired leases (recording each as expired), so no call does unbounded work.
local function purge_expired_leases(ev, now)
  local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'WITHSCORES', 'LIMIT', 0, LEASE_PURGE)
  for i = 1, #old, 2 do
    redis.call('ZREM', KEYS[3], old[i])
    local seq, user = string.match(old[i], '^(%d+):(.*)$')
    record(ev, 'expired', user, tonumber(seq), tonumber(old[i + 1]))
  end
end

-- The leases member of a ticket.
local function lease_member(seq, user)
  return fmt_int(seq) .. ':' .. user
end

-- ---- heartbeats ----

local function window_ms(ev)
  return math.floor(ev.idle / 2)
end

-- Starts the window of now: clears the bitmaps of the windows that began since the last call.
local function rotate_windows(ev, now)
  if ev.idle <= 0 then
    return
  end
  local k = math.floor(now / window_ms(ev))
  local last = tonumber(ev.hbw)
  if last == nil then
    redis.call('HSET', KEYS[1], 'hbw', fmt_int(k))
    ev.hbw = k
    return
  end
  if k > last then
    for j = last + 1, math.min(k, last + 3) do
      redis.call('DEL', KEYS[5 + j % 3])
    end
    redis.call('HSET', KEYS[1], 'hbw', fmt_int(k))
    ev.hbw = k
  end
end

local function heartbeat(ev, seq, now)
  if ev.idle > 0 then
    redis.call('SETBIT', KEYS[5 + math.floor(now / window_ms(ev)) % 3], seq, 1)
  end
end

-- Idle: no heartbeat in the current window nor the two before it, so silent for over the idle timeout.
local function is_idle(ev, seq, now)
  if ev.idle <= 0 or now - (tonumber(ev.hbsince) or now) < ev.idle then
    return false
  end
  local k = math.floor(now / window_ms(ev))
  for j = k - 2, k do
    if redis.call('GETBIT', KEYS[5 + j % 3], seq) == 1 then
      return false
    end
  end
  return true
end

local function evict(ev, user, seq, now)
  redis.call('ZREM', KEYS[2], user)
  redis.call('HDEL', KEYS[8], user)
  redis.call('HINCRBY', KEYS[1], 'evicted', 1)
  record(ev, 'evicted', user, seq, now)
end

-- ---- the sweep: idle waiters and ready tickets that never came to enter ----

-- Examines up to `batch` tickets from the sweep cursor for idleness, then the ready marks at the head.
-- Returns how many tickets it evicted.
local function sweep(ev, now, batch)
  local evicted = 0
  redis.call('HSET', KEYS[1], 'swept', fmt_int(now))
  ev.swept = now
  if ev.idle > 0 then
    local from = '-inf'
    if ev.cur and ev.cur ~= '-inf' then
      from = '(' .. ev.cur
    end
    local batch_items = redis.call('ZRANGEBYSCORE', KEYS[2], from, '+inf', 'WITHSCORES', 'LIMIT', 0, batch)
    for i = 1, #batch_items, 2 do
      local seq = seq_of_score(tonumber(batch_items[i + 1]))
      if is_idle(ev, seq, now) then
        evict(ev, batch_items[i], seq, now)
        evicted = evicted + 1
      end
    end
    local cursor = '-inf'
    if #batch_items == 2 * batch then
      cursor = batch_items[#batch_items]
    end
    redis.call('HSET', KEYS[1], 'cur', cursor)
    ev.cur = cursor
  end
  if ev.grace > 0 then
    local a = allowance(ev, now)
    if a == 0 then
      redis.call('DEL', KEYS[8])
    else
      local head = redis.call('ZRANGE', KEYS[2], 0, math.min(a, READY_MARKS) - 1, 'WITHSCORES')
      local in_head = {}
      for i = 1, #head, 2 do
        in_head[head[i]] = true
      end
      local marks = redis.call('HGETALL', KEYS[8])
      local since = {}
      for i = 1, #marks, 2 do
        if in_head[marks[i]] then
          since[marks[i]] = tonumber(marks[i + 1])
        else
          redis.call('HDEL', KEYS[8], marks[i])
        end
      end
      for i = 1, #head, 2 do
        local user = head[i]
        if not since[user] then
          redis.call('HSET', KEYS[8], user, fmt_int(now))
        elseif now - since[user] >= ev.grace then
          evict(ev, user, seq_of_score(tonumber(head[i + 1])), now)
          evicted = evicted + 1
        end
      end
    end
  end
  return evicted
end

-- Sweeps when SWEEP_INTERVAL_MS passed since the last sweep; returns how many tickets it evicted.
local function sweep_if_due(ev, now)
  if now - ev.swept >= SWEEP_INTERVAL_MS then
    return sweep(ev, now, SWEEP_BATCH)
  end
  return 0
end

-- Counts an admission into the measured rate.
local function note_admission(ev, now)
  if ev.mn == 0 then
    redis.call('HSET', KEYS[1], 'ms', '1', 'mt', fmt_int(now), 'm0', fmt_int(now), 'mn', 1)
    return
  end
  local weight = ev.ms * math.exp(-math.max(0, now - ev.mt) / 1000 / EWMA_TAU_S) + 1
  redis.call('HSET', KEYS[1], 'ms', fmt_float(weight), 'mt', fmt_int(math.max(ev.mt, now)), 'mn', ev.mn + 1)
end

-- Ticket state codes: 0 not found, 1 waiting, 2 ready, 3 pre-queue, 4 paused, 5 closed.
-- Returns code, position, eta for a ticket at 1-based rank `rank`.
local function ticket_view(ev, now, rank)
  local st = state_of(ev, now)
  if st == 'closed' then
    return 5, 0, 0
  end
  if st == 'scheduled' then
    return 3, 0, math.ceil((ev.opens - now) / 1000)
  end
  if st == 'paused' then
    return 4, rank, eta(ev, now, rank, 0)
  end
  local a = allowance(ev, now)
  if rank <= a then
    return 2, rank, 0
  end
  return 1, rank, eta(ev, now, rank, a)
end

-- Creates the event from ARGV-supplied settings (rate, burst, cap, ttl, idle, grace, audit, auditmax).
local function create_event(now, s)
  redis.call('HSET', KEYS[1], 'rate', s[1], 'burst', s[2], 'cap', s[3], 'ttl', s[4], 'idle', s[5],
    'grace', s[6], 'audit', s[7], 'auditmax', s[8], 'state', 'open', 'tokens', s[2], 'last', fmt_int(now),
    'seq', 0, 'hbsince', fmt_int(now), 'swept', fmt_int(now))
end

-- ---- operation ----
