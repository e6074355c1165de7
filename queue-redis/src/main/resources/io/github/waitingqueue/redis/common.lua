-- common.lua: the helpers every operation of waiting-queue's Lua library shares (not run on its own).
--
-- The library is assembled by ScriptLibrary.java: first the constants (every public static final field of
-- QueueRules.java, and the codes of TicketState, JoinOutcome and EnterOutcome, by name), then this file,
-- then each operation file as one function. Under FCALL, KEYS and ARGV are locals of the library that
-- each call sets; under EVAL (the fallback where FUNCTION is refused) they are the script's globals.
--
-- Every operation receives the same KEYS, all inside one {eventId} hash tag:
--   KEYS[1] meta    hash: settings (rate, burst, cap, ttl, idle, grace, audit, auditmax), state and opens,
--                   rate bucket (tokens, last), seq (also the count of joins), counters (left, evicted,
--                   released, completed, purged), measured rate (ms, mt, m0, mn: mn also the count of
--                   admissions), reservations ending (es, et, e0, en: the same moving average), hbsince (idleness counted from),
--                   sweep (swept, cur, pass: the line's size when the cursor left the head),
--                   jsec (last indexed second), inventory (inv: items for sale, 0 unlimited; completions
--                   consume them, and the last one makes the state 'sold_out'), per-user limit (ppu: a
--                   LIMIT_* code), inc (the incarnation: ms when the event was created; tokens
--                   carry it, so a token of a purged earlier life of the event finds nothing), pre (the
--                   highest pre-queue sequence issued), change feed (fseen: when a line mirror last read
--                   it; fbase: the ordinal of the feed's first entry), lanes ('name=priority,...', '-' for
--                   none), laned (1 once a ticket joined a lane other than the general line), enc (a
--                   constant longer than hash-max-listpack-value, so the hash is a hashtable: HASHTABLE_MARK)
--   KEYS[2] queue   sorted set: member userId; the score orders the line and keeps the ticket's last
--                   heartbeat window (modulo HB_SPAN) in its low part, so heartbeats cost no memory:
--                     FIFO ticket       block * LANE_SPAN + seq * HB_SPAN + window                  (lane score >= HB_SPAN)
--                     pre-queue ticket  block * LANE_SPAN + (place - PRE_BITS) * HB_SPAN + window   (lane score < 0)
--                   where block is the ticket's lane's (-priority; 0 for the general line), so every lane of
--                   higher priority sorts ahead, and the lane score (what is left) orders the lane
--                   where place is the ticket's place under the event's draw (a permutation of sequence
--                   numbers keyed by the seed drawn at scheduleOpening: dk holds its round keys, seed and
--                   commit the seed and its SHA-256, dopens when its order took effect), so pre-queue
--                   tickets (joined before a scheduled opening) sort ahead of FIFO ones, shuffled.
--   KEYS[3] leases  sorted set: member "<sequence>:<userId>" of an admitted ticket, score = expiry (ms);
--                   the user in the member keeps an old token from matching a reused sequence number
--   KEYS[4] joined  sorted set: one member "<seq>:<second>" per second in which anybody joined,
--                   score = first sequence of that second; gives join time without per-user data
--   KEYS[5] ready   hash: userId -> ms when first seen within the allowance (head of the line only)
--   KEYS[6] audit   stream: the audit trail, when enabled
--   KEYS[7] feed    list: the change feed that line mirrors read (mirror.lua), written only while one reads
--                   it: one entry per ticket taken out of the line (entered, left, evicted), its order
--                   unit (score without the heartbeat window, divided by HB_SPAN: block * LANE_SPAN / HB_SPAN
--                   plus the sequence, or the pre-queue place - PRE_BITS). Joins to the general line need no
--                   entry (sequence numbers are dense, the counter tells the mirror); a join to another lane
--                   is '+' and its order unit.
--   KEYS[8] holders hash: under a per-user limit (ppu), userId -> the sequence whose reservation the user
--                   holds (set at admission, removed when it ends), or 'bought' after a completion under
--                   LIMIT_ONE_PURCHASE
-- ARGV[1] is always the time in epoch ms for tests, or '' to use Redis server TIME.
-- Replies are integers, strings and arrays of them only, so they read the same in RESP2 and RESP3.
-- Refusals that are not ordinary outcomes are error replies 'WQSTATE <reason>', sent before any write.
-- Scripts call TIME before writing: Redis 6.2 must keep its default lua-replicate-commands yes (effects
-- replication), which Redis 7 always uses.

local function now_ms(arg)
  if arg ~= nil and arg ~= '' then
    return tonumber(arg)
  end
  local t = redis.call('TIME')
  local us = t[2] + 0 -- arithmetic converts the integer texts as tonumber does, without a call
  return t[1] * 1000 + (us - us % 1000) / 1000
end

local function fmt_int(n)
  return string.format('%d', n)
end

local function fmt_float(x)
  return string.format('%.17g', x)
end

local function refuse(reason)
  return redis.error_reply('WQSTATE ' .. reason)
end

-- The event's fields, in one HMGET, or nil when the event does not exist: those every call needs, then
-- the named extra ones (kept as strings under their names). Fields not loaded are read where needed.
-- Each field read still costs Redis and Lua about 1,500 instructions (more in a listpack: see
-- HASHTABLE_MARK): opens (only while scheduled) and the measured rate's ms, mt, m0 (only for an ETA) are
-- read when needed. Fields every event has are converted by arithmetic (the same conversion as tonumber,
-- without a call).
local function load_event(...)
  local v = redis.call('HMGET', KEYS[1], 'rate', 'burst', 'cap', 'idle', 'state', 'tokens', 'last', 'mn', 'swept',
    'inc', ...)
  if not v[1] then
    return nil
  end
  local mn, inc = v[8], v[10]
  local ev = {
    rate = v[1] + 0, burst = v[2] + 0, cap = v[3] + 0, idle = v[4] + 0, state = v[5], tokens = v[6] + 0,
    last = v[7] + 0, mn = mn and mn + 0 or 0, swept = v[9] + 0, inc = inc and inc + 0 or 0
  }
  local n = #v
  if n > 10 then
    local names = {...}
    for i = 11, n do
      ev[names[i - 10]] = v[i] or false
    end
  end
  return ev
end

-- A field of the event: loaded with it, or read now (once).
local function field(ev, name)
  if ev[name] == nil then
    ev[name] = redis.call('HGET', KEYS[1], name) or false
  end
  return ev[name]
end

local function number_field(ev, name)
  return tonumber(field(ev, name)) or 0
end

-- The measured rate's weight and its time as numbers; its fields (and m0, the first admission's time) are
-- read in one HMGET when the event was loaded without them.
local function measure_fields(ev)
  if ev.ms == nil then
    local m = redis.call('HMGET', KEYS[1], 'ms', 'mt', 'm0')
    ev.ms, ev.mt, ev.m0 = m[1] or false, m[2] or false, m[3] or false
  end
  return tonumber(ev.ms) or 0, tonumber(ev.mt) or 0
end

-- When a scheduled event opens (ms), read only for a scheduled event: other states ignore it.
local function opens_of(ev)
  local o = ev.opens
  if type(o) ~= 'number' then
    if o == nil then
      o = redis.call('HGET', KEYS[1], 'opens')
    end
    o = tonumber(o) or 0
    ev.opens = o
  end
  return o
end

-- Settings sent by name: ARGV[from], ARGV[from + 1], ... are name, value pairs.
local function settings_from(from)
  local s = {}
  for i = from, #ARGV - 1, 2 do
    s[ARGV[i]] = ARGV[i + 1]
  end
  return s
end

-- Settings sent by name in one argument, 'name value name value ...' (values have no spaces): how join,
-- which sends them on every call in case it creates the event, sends them, since every argument of a
-- call costs Redis its own string and Lua its own table slot whether read or not.
local function settings_in(text)
  local s = {}
  for name, value in string.gmatch(text, '(%S+) (%S+)') do
    s[name] = value
  end
  return s
end

-- A refusal when keys of the event exist without its settings hash (Redis evicted or lost the hash), or
-- nil: the event must not be re-created silently over what is left.
local function refusal_if_lost()
  if redis.call('EXISTS', KEYS[2], KEYS[3], KEYS[4], KEYS[5]) > 0 then
    return refuse('keys of this event exist without its settings: evicted by Redis (see maxmemory-policy)?')
  end
  return nil
end

-- The value of the event's field 'enc'. A small hash is a listpack, which Redis scans from its start for
-- every field read (the whole of it for an absent field): about 1,000 instructions for a field in the
-- middle of the event's 23. A value longer than hash-max-listpack-value (64 bytes unless configured
-- otherwise; hash-max-ziplist-value in Redis 6.2) keeps the hash a hashtable for good (through restarts
-- and replication too, since the value stays), where a field is found in O(1): join reads 14 fields, and
-- saves about 13,000 instructions a call (9%), status 10,000 (8%), enter 27,000 (12%), for about 1 KB
-- more per event (none per waiting user).
local HASHTABLE_MARK = 'longer than hash-max-listpack-value, so that Redis keeps this hash a hashtable: O(1) field reads'

-- Creates the event from settings sent by name; returns it as load_event would read it. Where the hash is
-- a listpack all the same (hash-max-listpack-value set above HASHTABLE_MARK's length), the fields every
-- call reads come first, and those the first join and admission would add at the end are written now, as
-- the zeros that reading an absent one gives (jsec, the measured rate's mn, ms, mt, m0).
local function create_event(now, s)
  redis.call('HSET', KEYS[1], 'state', STATE_OPEN, 'tokens', s.burst, 'last', fmt_int(now), 'rate', s.rate,
    'burst', s.burst, 'cap', s.cap, 'idle', s.idle, 'mn', '0', 'swept', fmt_int(now), 'inc', fmt_int(now),
    'seq', '0', 'jsec', '0', 'audit', s.audit, 'ppu', s.ppu, 'ms', '0', 'mt', '0', 'm0', '0', 'ttl', s.ttl,
    'grace', s.grace, 'inv', s.inv, 'auditmax', s.auditmax, 'hbsince', fmt_int(now), 'lanes', s.lanes,
    'enc', HASHTABLE_MARK)
  return {
    rate = tonumber(s.rate), burst = tonumber(s.burst), cap = tonumber(s.cap), idle = tonumber(s.idle),
    state = STATE_OPEN, opens = 0, tokens = tonumber(s.burst), last = now, mn = 0, swept = now, inc = now,
    ttl = s.ttl, grace = s.grace, audit = s.audit, inv = s.inv, ppu = s.ppu, lanes = s.lanes, completed = false,
    hbsince = fmt_int(now), seq = '0', jsec = '0', ms = '0', mt = '0', m0 = '0'
  }
end

-- 'open', 'paused', 'closed', 'purging', or 'scheduled' until the opening time passes.
local function state_of(ev, now)
  if ev.state == STATE_SCHEDULED and now >= opens_of(ev) then
    return STATE_OPEN
  end
  return ev.state
end

-- Tokens in the bucket at now. The same arithmetic, in the same order, as InMemoryWaitingQueue.
local function refilled(ev, now)
  local elapsed = now - ev.last
  if elapsed < 0 then
    elapsed = 0
  end
  local t = ev.tokens + elapsed * ev.rate / 1000
  if t > ev.burst then
    t = ev.burst
  end
  return t
end

-- Reservations held at now: expired leases still in the set are not counted, purged or not. Counted once a
-- call (a waiting ticket's status needs it for the allowance and again for the ETA's capacity outlook): the
-- count stays in ev.held. Enter's admission, the one write of a lease after a count, adds its lease to it;
-- end_reservation counts nothing. Purging expired leases leaves it as it is, since it never counted them.
local function active_leases(ev, now)
  local held = ev.held
  if held == nil then
    held = redis.call('ZCOUNT', KEYS[3], '(' .. fmt_int(now), '+inf')
    ev.held = held
  end
  return held
end

-- How many positions from the head of an open event may enter now: min(whole tokens, free capacity).
-- As seen from position `rank` (omitted: from the end of any line): exact when rank is beyond it; when
-- rank is within it, a number at least rank, which is all a ticket there needs to know. Every lease was
-- granted by an admission that mn counts, so at most mn are held and at least cap - mn are free: while
-- that is as much as min(whole tokens, rank), the capacity cannot decide, and leases are not counted.
-- (Comparisons rather than math.min and math.max: each C call costs Lua about 500 instructions.)
local function open_allowance(ev, now, rank)
  local a = math.floor(refilled(ev, now))
  local seen = rank or a
  if seen > a then
    seen = a
  end
  if ev.cap > 0 and a > 0 and ev.cap - ev.mn < seen then
    local free = ev.cap - active_leases(ev, now)
    if free < 0 then
      free = 0
    end
    if free < a then
      a = free
    end
  end
  return a
end

-- The same, 0 unless the event is open.
local function allowance(ev, now, rank)
  if state_of(ev, now) ~= STATE_OPEN then
    return 0
  end
  return open_allowance(ev, now, rank)
end

-- e^-x for x >= 0 with + - * / alone, as QueueRules.decay: Lua's math.exp and Java's round apart.
local function decay(x)
  if x >= DECAY_LIMIT then
    return 0
  elseif x == 0 then
    return 1 -- what the series gives for 0, exactly
  end
  local y = x / 256
  local t = 1
  for i = 11, 1, -1 do
    t = 1 - y * t / i
  end
  for _ = 1, 8 do
    t = t * t
  end
  return t
end

-- Events per second from an exponentially weighted moving average (admissions, or reservations ending):
-- the weight decayed to now, over the time constant, bias-corrected for the time since the first event (at
-- least a second, so a burst in one instant reads as a rate). As QueueRules.ewmaRate.
local function ewma_rate(weight, at, first, now)
  local w = weight * decay(math.max(0, now - at) / 1000 / EWMA_TAU_S)
  local elapsed = math.max(now - first, 1000)
  return w / (EWMA_TAU_S * (1 - decay(elapsed / 1000 / EWMA_TAU_S)))
end

-- A moving average after one more event at `at`, given how many it counted: its weight, its time and its
-- first event's time (QueueRules.ewmaAfter, as InMemoryWaitingQueue's MovingRate.record).
local function ewma_next(count, weight, last, first, at)
  if count == 0 then
    return 1, at, at
  end
  return weight * decay(math.max(0, at - last) / 1000 / EWMA_TAU_S) + 1, math.max(last, at), first
end

-- Admissions per second for ETAs: the moving average of real admissions, after EWMA_MIN_ADMISSIONS of
-- them; 0 before.
local function measured_rate(ev, now)
  if ev.mn < EWMA_MIN_ADMISSIONS then
    return 0
  end
  local ms, mt = measure_fields(ev)
  return ewma_rate(ms, mt, tonumber(ev.m0) or 0, now)
end

-- Admissions per second that ETAs assume: the measured rate once there is one (never below the
-- configured rate / EWMA_FLOOR_DIVISOR), the configured rate before.
local function eta_rate(ev, now)
  if ev.mn >= EWMA_MIN_ADMISSIONS then
    return math.max(measured_rate(ev, now), ev.rate / EWMA_FLOOR_DIVISOR)
  end
  return ev.rate
end

-- The moving average of reservations ending (completed, released, expired): weight, its time, the first
-- end and how many, as numbers, read once per call (es, et, e0, en).
local function end_fields(ev)
  if ev.en == nil then
    local m = redis.call('HMGET', KEYS[1], 'es', 'et', 'e0', 'en')
    ev.es, ev.et, ev.e0, ev.en = tonumber(m[1]) or 0, tonumber(m[2]) or 0, tonumber(m[3]) or 0, tonumber(m[4]) or 0
  end
end

-- Records that a reservation ended at `at` (an expiry is recorded at its expiry time).
local function record_end(ev, at)
  end_fields(ev)
  ev.es, ev.et, ev.e0 = ewma_next(ev.en, ev.es, ev.et, ev.e0, at)
  ev.en = ev.en + 1
  redis.call('HSET', KEYS[1], 'es', fmt_float(ev.es), 'et', fmt_int(ev.et), 'e0', fmt_int(ev.e0), 'en', fmt_int(ev.en))
end

-- Reservations ending per second: their moving average, after EWMA_MIN_ADMISSIONS of them; 0 before.
local function end_rate(ev, now)
  end_fields(ev)
  if ev.en < EWMA_MIN_ADMISSIONS then
    return 0
  end
  return ewma_rate(ev.es, ev.et, ev.e0, now)
end

-- What the capacity adds to an ETA once reservations are seen ending (EWMA_MIN_ADMISSIONS of them): how
-- many more reservations fit beyond the `allow` positions that may enter now, and how fast reservations
-- end; -1 and 0 when the capacity cannot bind (none, or no ends measured).
local function capacity_outlook(ev, now, allow)
  if ev.cap <= 0 then
    return -1, 0
  end
  local ends = end_rate(ev, now)
  if ev.en < EWMA_MIN_ADMISSIONS then
    return -1, 0
  end
  return math.max(0, ev.cap - active_leases(ev, now) - allow), math.max(ends, ev.rate / EWMA_FLOOR_DIVISOR)
end

-- Seconds until position is admitted (QueueRules.eta): at the ETA rate, and, when the capacity binds, no
-- sooner than the reservations that must end first end.
local function eta(ev, now, position, allow)
  if position <= allow then
    return 0
  end
  local beyond = position - allow
  local t = beyond / eta_rate(ev, now)
  local free, ends = capacity_outlook(ev, now, allow)
  if free >= 0 and beyond > free then
    t = math.max(t, (beyond - free) / ends)
  end
  return math.ceil(t)
end

-- ---- tickets: order and heartbeat in one score ----

-- One round of the draw: integers that stay below 2^53, so Lua computes them exactly (QueueRules.drawRound).
local function draw_round(key, half)
  local t = (half * (key % 1048576) + math.floor(key / 1048576)) % PRE_BITS
  t = bit.bxor(t, bit.rshift(t, 13))
  t = (t * DRAW_MUL) % PRE_BITS
  t = bit.bxor(t, bit.rshift(t, 12))
  return t % DRAW_HALF
end

-- The round keys of the event's draw, read once per call.
local function draw_keys(ev)
  if not ev.dkeys then
    ev.dkeys = {}
    for k in string.gmatch(field(ev, 'dk') or '', '%d+') do
      ev.dkeys[#ev.dkeys + 1] = tonumber(k)
    end
  end
  return ev.dkeys
end

-- The pre-queue place of a sequence number (QueueRules.drawPlace): a Feistel network, a round per key.
local function draw_place(ev, seq)
  local keys = draw_keys(ev)
  local l, r = math.floor(seq / DRAW_HALF), seq % DRAW_HALF
  for i = 1, #keys do
    l, r = r, bit.bxor(l, draw_round(keys[i], r))
  end
  return l * DRAW_HALF + r
end

-- The sequence number at a pre-queue place (QueueRules.drawSequence).
local function draw_sequence(ev, place)
  local keys = draw_keys(ev)
  local l, r = math.floor(place / DRAW_HALF), place % DRAW_HALF
  for i = #keys, 1, -1 do
    l, r = bit.bxor(r, draw_round(keys[i], l)), l
  end
  return l * DRAW_HALF + r
end

-- ---- lanes: a block of scores each ----

-- The block of a lane from the event's lanes ('name=priority,...'): -priority (QueueRules.laneBlock), so a
-- higher priority sorts first; nil when the event has no lane of that name.
local function lane_block(lanes, lane)
  for name, priority in string.gmatch(lanes or '', '([^,=]+)=(%-?%d+)') do
    if name == lane then
      return -tonumber(priority)
    end
  end
  return nil
end

-- The lane block a score lies in (QueueRules.blockOf): the nearest multiple of LANE_SPAN.
local function block_of(score)
  return math.floor((score + LANE_SPAN / 2) / LANE_SPAN)
end

-- A score without its lane's block: what orders the ticket within its lane.
local function lane_score(score)
  if score < LANE_SPAN / 2 and score >= -LANE_SPAN / 2 then
    return score -- the general line's block, 0: no call (math.floor costs Lua about 500 instructions)
  end
  return score - block_of(score) * LANE_SPAN
end

local function fifo_score(block, seq, window)
  return block * LANE_SPAN + seq * HB_SPAN + window
end

local function prequeue_score(ev, block, seq, window)
  return block * LANE_SPAN + (draw_place(ev, seq) - PRE_BITS) * HB_SPAN + window
end

-- The last heartbeat window a score holds.
local function window_in(score)
  return score % HB_SPAN
end

-- The order unit of a score: the sequence of a FIFO ticket, the place - PRE_BITS of a pre-queue one.
local function unit_of(score)
  return (score - window_in(score)) / HB_SPAN
end

-- The sequence number a score holds (a pre-queue score is unpermuted with the event's draw).
local function seq_of(ev, score)
  local s = lane_score(score)
  local unit = unit_of(s)
  if s > 0 then
    return unit
  end
  return draw_sequence(ev, unit + PRE_BITS)
end

-- The heartbeat window of now, modulo HB_SPAN; 0 when idle eviction is off.
local function window_of(ev, now)
  if ev.idle <= 0 then
    return 0
  end
  local span = ev.idle / 2
  local w = now / (span - span % 1) -- x - x % 1 is math.floor(x), without a call
  return (w - w % 1) % HB_SPAN
end

-- The ticket's score if userId waits with exactly this sequence number, else nil.
local function score_of(ev, user, seq)
  local score = redis.call('ZSCORE', KEYS[2], user)
  if not score then
    return nil
  end
  score = score + 0
  local s = lane_score(score)
  local unit = unit_of(s)
  if s > 0 then
    if unit ~= seq then
      return nil
    end
  elseif seq >= PRE_BITS or unit + PRE_BITS ~= draw_place(ev, seq) then
    return nil
  end
  return score
end

-- Whether a token's incarnation (an ARGV: '' when the token carries none) names this life of the event.
local function same_incarnation(ev, arg)
  return arg == nil or arg == '' or tonumber(arg) == ev.inc
end

-- Drops the change feed. Its base ordinal moves past every entry it held and one more, so a mirror that
-- had read all of them, and would miss what goes unrecorded from now on, still sees a gap and rebuilds.
local function drop_feed()
  redis.call('HINCRBY', KEYS[1], 'fbase', redis.call('LLEN', KEYS[7]) + 1)
  redis.call('UNLINK', KEYS[7])
end

-- Appends an entry to the change feed, while a line mirror reads it (fseen within FEED_LAPSE_MS). A feed
-- nobody read for that long is dropped by the first writer that notices; a mirror that comes back sees the
-- lapse and rebuilds.
local function feed_append(ev, entry, now)
  local seen = field(ev, 'fseen')
  if not seen then
    return
  end
  if now - tonumber(seen) >= FEED_LAPSE_MS then
    drop_feed()
    redis.call('HDEL', KEYS[1], 'fseen')
    ev.fseen = false
    return
  end
  if redis.call('RPUSH', KEYS[7], entry) > FEED_MAX then
    redis.call('LTRIM', KEYS[7], FEED_TRIM, -1)
    redis.call('HINCRBY', KEYS[1], 'fbase', FEED_TRIM)
  end
end

-- Records in the change feed that the ticket of this score left the line.
local function feed_removal(ev, score, now)
  feed_append(ev, fmt_int(unit_of(score)), now)
end

-- Records a heartbeat: rewrites the ticket's score only when its window changed.
local function heartbeat(ev, user, score, now)
  if ev.idle > 0 then
    local w = window_in(score)
    local k = window_of(ev, now)
    if w ~= k then
      redis.call('ZADD', KEYS[2], 'XX', score - w + k, user)
    end
  end
end

-- Appends to the audit trail, when enabled. Ids are the entry's time (the queue's clock, as `now` is)
-- and a counter within the millisecond, never going back: as InMemoryWaitingQueue numbers them.
local function record(ev, action, user, seq, now)
  if (ev.audit or field(ev, 'audit')) == '1' then
    local last = field(ev, 'aid')
    if not last then
      local top = redis.call('XREVRANGE', KEYS[6], '+', '-', 'COUNT', 1)
      last = top[1] and top[1][1] or '0-0'
    end
    local ms, n = string.match(last, '^(%d+)-(%d+)$')
    ms, n = tonumber(ms), tonumber(n)
    local stamp = math.max(ms, now)
    if stamp == ms then
      n = n + 1
    else
      n = 0
    end
    ev.aid = fmt_int(stamp) .. '-' .. fmt_int(n)
    redis.call('XADD', KEYS[6], 'MAXLEN', '~', number_field(ev, 'auditmax'), ev.aid, 'action', action,
      'user', user, 'seq', fmt_int(seq), 'at', fmt_int(now))
    redis.call('HSET', KEYS[1], 'aid', ev.aid)
  end
end

-- Forgets that the user holds the reservation of ticket `seq` (a decimal string), if the holders hash says
-- so: its lease ended (released, completed, expired). A per-user limit then lets them join again.
local function release_holder(user, seq)
  if redis.call('HGET', KEYS[8], user) == seq then
    redis.call('HDEL', KEYS[8], user)
  end
end

-- Removes at most LEASE_PURGE expired leases (recording each as expired), so no call does unbounded work.
local function purge_expired_leases(ev, now)
  local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'WITHSCORES', 'LIMIT', 0, LEASE_PURGE)
  for i = 1, #old, 2 do
    redis.call('ZREM', KEYS[3], old[i])
    local seq, user = string.match(old[i], '^(%d+):(.*)$')
    release_holder(user, seq)
    record_end(ev, tonumber(old[i + 1]))
    record(ev, 'expired', user, tonumber(seq), tonumber(old[i + 1]))
  end
end

-- The leases member of a ticket.
local function lease_member(seq, user)
  return fmt_int(seq) .. ':' .. user
end

local function evict(ev, user, score, now)
  redis.call('ZREM', KEYS[2], user)
  feed_removal(ev, score, now)
  if number_field(ev, 'grace') > 0 then
    redis.call('HDEL', KEYS[5], user)
  end
  if field(ev, 'audit') == '1' then
    record(ev, 'evicted', user, seq_of(ev, score), now)
  end
end

-- The epoch second in which ticket `seq` joined, from the join-time index; nil if it has no mark.
local function joined_second(seq)
  local mark = redis.call('ZREVRANGEBYSCORE', KEYS[4], seq, '-inf', 'LIMIT', 0, 1)
  if mark[1] then
    return tonumber(string.match(mark[1], ':(%d+)$'))
  end
  return nil
end

-- ---- the sweep: idle waiters and ready tickets that never came to enter ----

-- A silence of the whole event longer than the outage gap (Redis or every application instance was
-- down) is not idleness: idleness and the ready grace are counted again from now.
local function restart_after_gap(ev, now)
  local grace = number_field(ev, 'grace')
  local shortest = ev.idle
  if shortest <= 0 or (grace > 0 and grace < shortest) then
    shortest = grace
  end
  if shortest > 0 and now - ev.swept >= math.max(OUTAGE_GAP_MIN_MS, math.floor(shortest / 2)) then
    ev.hbsince = fmt_int(now)
    redis.call('HSET', KEYS[1], 'hbsince', ev.hbsince)
    redis.call('DEL', KEYS[5])
  end
end

-- The lowest sequence number in line, when the head of every lane is a FIFO ticket (FIFO sequences rise
-- within a lane); nil when a lane's head is a pre-queue ticket (those are shuffled). One lookup per lane
-- that holds tickets, and only the head's while no ticket ever joined another lane than the general line.
local function lowest_sequence(ev, score)
  local lowest
  while score do
    local block = block_of(score)
    if score - block * LANE_SPAN < 0 then
      return nil
    end
    local seq = seq_of(ev, score)
    if not lowest or seq < lowest then
      lowest = seq
    end
    if not field(ev, 'laned') then
      return lowest
    end
    local after = redis.call('ZRANGEBYSCORE', KEYS[2], fmt_int((block + 1) * LANE_SPAN - LANE_SPAN / 2), '+inf',
      'WITHSCORES', 'LIMIT', 0, 1)
    score = after[2] and tonumber(after[2])
  end
  return lowest
end

-- Drops join-time marks below the one the lowest sequence in line needs, at most JOIN_MARKS_TRIM, always
-- keeping the newest mark (the next join in the same second relies on it).
local function trim_join_marks(ev)
  local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  local keep
  if head[2] then
    local lowest = lowest_sequence(ev, tonumber(head[2]))
    if lowest then
      local needed = redis.call('ZREVRANGEBYSCORE', KEYS[4], lowest, '-inf', 'LIMIT', 0, 1)
      if needed[1] then
        keep = redis.call('ZRANK', KEYS[4], needed[1])
      end
    end
  else
    keep = redis.call('ZCARD', KEYS[4]) - 1
  end
  if keep and keep > 0 then
    redis.call('ZREMRANGEBYRANK', KEYS[4], 0, math.min(keep, JOIN_MARKS_TRIM) - 1)
  end
end

-- Examines a batch of tickets from the sweep cursor for idleness, then the ready marks at the head.
-- The batch is the line's size when the cursor left the head, divided by SWEEP_PASS_SWEEPS (so a pass
-- over the line takes that many sweeps however many are evicted on the way), at least min_batch and at
-- most SWEEP_BATCH_MAX. Returns how many tickets it evicted.
local function sweep(ev, now, min_batch)
  restart_after_gap(ev, now)
  purge_expired_leases(ev, now)
  local evicted = 0
  redis.call('HSET', KEYS[1], 'swept', fmt_int(now))
  ev.swept = now
  if ev.idle > 0 and now - number_field(ev, 'hbsince') >= ev.idle then
    local c = redis.call('HMGET', KEYS[1], 'cur', 'pass')
    local from = '-inf'
    local pass = tonumber(c[2]) or 0
    if c[1] and c[1] ~= '' then
      from = '(' .. c[1]
    else
      pass = redis.call('ZCARD', KEYS[2])
    end
    local batch = math.min(SWEEP_BATCH_MAX, math.max(min_batch, math.ceil(pass / SWEEP_PASS_SWEEPS)))
    local items = redis.call('ZRANGEBYSCORE', KEYS[2], from, '+inf', 'WITHSCORES', 'LIMIT', 0, batch)
    local k = window_of(ev, now)
    for i = 1, #items, 2 do
      local score = tonumber(items[i + 1])
      if (k - window_in(score)) % HB_SPAN >= HB_WINDOWS then
        evict(ev, items[i], score, now)
        evicted = evicted + 1
      end
    end
    local cursor = ''
    if #items == 2 * batch then
      cursor = items[#items]
    end
    redis.call('HSET', KEYS[1], 'cur', cursor, 'pass', pass)
  end
  local grace = number_field(ev, 'grace')
  if grace > 0 then
    local a = allowance(ev, now)
    if a == 0 then
      redis.call('DEL', KEYS[5])
    else
      -- without scores: Redis formats each as a double (%.17g), dearer than the rest of the entry; the
      -- score of a ticket that is evicted is read then
      local head = redis.call('ZRANGE', KEYS[2], 0, math.min(a, READY_MARKS) - 1)
      local in_head = {}
      for i = 1, #head do
        in_head[head[i]] = true
      end
      local marks = redis.call('HGETALL', KEYS[5])
      local since = {}
      for i = 1, #marks, 2 do
        if in_head[marks[i]] then
          since[marks[i]] = marks[i + 1] + 0
        else
          redis.call('HDEL', KEYS[5], marks[i])
        end
      end
      for i = 1, #head do
        local user = head[i]
        if not since[user] then
          redis.call('HSET', KEYS[5], user, fmt_int(now))
        elseif now - since[user] >= grace then
          evict(ev, user, redis.call('ZSCORE', KEYS[2], user) + 0, now)
          evicted = evicted + 1
        end
      end
    end
  end
  if evicted > 0 then
    redis.call('HINCRBY', KEYS[1], 'evicted', evicted)
  end
  trim_join_marks(ev)
  return evicted
end

-- Sweeps when SWEEP_INTERVAL_MS passed since the last sweep; returns how many tickets it evicted.
local function sweep_if_due(ev, now)
  if now - ev.swept >= SWEEP_INTERVAL_MS then
    return sweep(ev, now, SWEEP_BATCH_MIN)
  end
  return 0
end

-- The measured rate's fields after one more admission at now: weight, its time, first admission.
local function measure_after_admission(ev, now)
  local ms, mt = 0, 0
  if ev.mn > 0 then
    ms, mt = measure_fields(ev) -- read only once there is a measure
  end
  local weight, at, first = ewma_next(ev.mn, ms, mt, tonumber(ev.m0) or 0, now)
  return fmt_float(weight), fmt_int(at), fmt_int(first)
end

-- Returns the ticket state code, position and eta of a ticket at 1-based rank `rank`.
local function ticket_view(ev, now, rank)
  local st = state_of(ev, now)
  if st == STATE_CLOSED or st == STATE_PURGING then
    return TICKET_CLOSED, 0, 0
  end
  if st == STATE_SOLD_OUT then
    return TICKET_SOLD_OUT, 0, 0
  end
  if st == STATE_SCHEDULED then
    return TICKET_PRE_QUEUE, 0, math.ceil((opens_of(ev) - now) / 1000)
  end
  if st == STATE_PAUSED then
    return TICKET_PAUSED, rank, eta(ev, now, rank, 0)
  end
  local a = open_allowance(ev, now, rank) -- the state is open here
  if rank <= a then
    return TICKET_READY, rank, 0
  end
  return TICKET_WAITING, rank, eta(ev, now, rank, a)
end

-- ---- the sale: inventory and the per-user limit ----

-- Whether every item of the inventory is sold (completions reached it); never with an unlimited one.
local function items_gone(ev)
  local inv = tonumber(field(ev, 'inv')) or 0
  return inv > 0 and number_field(ev, 'completed') >= inv
end

-- Why the event's per-user limit refuses this user a new ticket now (a JOIN_* code), or nil: never one who
-- is in line already (their join returns the ticket they have).
local function per_user_refusal(ev, user, now)
  local ppu = field(ev, 'ppu')
  local limit = ppu and ppu + 0 or LIMIT_NONE
  if limit == LIMIT_NONE or redis.call('ZSCORE', KEYS[2], user) then
    return nil
  end
  local held = redis.call('HGET', KEYS[8], user)
  if not held then
    return nil
  elseif held == 'bought' then
    if limit == LIMIT_ONE_PURCHASE then
      return JOIN_ALREADY_PURCHASED
    end
    return nil
  end
  local expiry = redis.call('ZSCORE', KEYS[3], held .. ':' .. user)
  if expiry and tonumber(expiry) > now then
    return JOIN_HOLDS_RESERVATION
  end
  return nil
end

-- Makes the event sold out (its completions reached the inventory), recording it.
local function sell_out(ev, now)
  redis.call('HSET', KEYS[1], 'state', STATE_SOLD_OUT)
  record(ev, STATE_SOLD_OUT, '', 0, now)
end

-- ---- operations ----
