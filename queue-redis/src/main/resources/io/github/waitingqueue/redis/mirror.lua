-- mirror.lua: one catch-up of a line mirror (LineMirror.java). Records the heartbeats of the polls the
-- mirror answered, sweeps when a sweep is due, then returns what the mirror needs to be current: the
-- change feed's entries since its ordinal, the sequence counter (joins to the general line need no entry:
-- sequence numbers are dense; those to other lanes have one) and what a status answer needs (state, allowance, ETA rate), all at one instant.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] the feed ordinal to read from, or '' to start (a new mirror: no entries)
-- ARGV[3] most entries to return
-- ARGV[4..] heartbeats of polls the mirror answered: ARGV[4] the incarnation they belong to (none is
--   applied in another life of the event), ARGV[5] n, then n (score, userId) pairs of FIFO tickets: the
--   score the heartbeat writes, applied with ZADD XX GT, which changes only a ticket that is there with
--   this sequence and an older window (a user who joined again has a higher sequence, so the heartbeat of
--   an old ticket never moves the new one; the mirror sends windows below HB_WINDOWS, where the window
--   count wraps, the other way; once a ticket joined a lane, whose scores are lower, each score is checked
--   first); then (userId, sequence, heartbeat window) triples of the other tickets
-- Reply: {incarnation (-1: no event, or one being purged; 0: an event created before incarnations), run id of the Redis process, state (as state_of),
--         sequence counter, highest pre-queue sequence, the draw's round keys, ordinal of the feed's first
--         entry, feed length, entries from ARGV[2] (an array of order units
--         of tickets that left the line, and '+' and the order unit of tickets that joined a lane), line size, allowance,
--         ETA rate (a decimal string), idle timeout ms, now ms, 1 when the feed lapsed (nobody read it for
--         FEED_LAPSE_MS: a mirror reading from an ordinal must rebuild) else 0, tickets evicted,
--         1 when the ETA rate is measured (EWMA_MIN_ADMISSIONS made) else 0, reservations that fit beyond
--         the allowance (-1: the capacity cannot bind an ETA), reservations ending a second (a decimal string)}

local now = now_ms(ARGV[1])
-- the process's run id changes with a restart or a failover: the writes the mirror saw may be lost
local info = redis.pcall('INFO', 'server')
local run = type(info) == 'string' and string.match(info, 'run_id:(%w+)') or ''
local ev = load_event('seq', 'pre', 'fseen', 'dk', 'grace', 'audit', 'ms', 'mt', 'm0', 'laned')
if not ev or ev.state == STATE_PURGING then
  return {-1, run, ev and ev.state or '', 0, 0, '', 0, 0, {}, 0, 0, '0', 0, now, 1, 0, 0, -1, '0'}
end

-- heartbeats first, so the sweep below sees them; a window older than the ticket's own is left alone
if ev.idle > 0 and tonumber(ARGV[4]) == ev.inc then
  local last = 5 + 2 * tonumber(ARGV[5])
  if not ev.laned then
    for i = 6, last, 1000 do
      redis.call('ZADD', KEYS[2], 'XX', 'GT', unpack(ARGV, i, math.min(last, i + 999)))
    end
  else
    -- a user who joined again in a lane of higher priority holds a lower score: each score is checked
    for i = 6, last, 2 do
      local score, user = tonumber(ARGV[i]), ARGV[i + 1]
      local held = redis.call('ZSCORE', KEYS[2], user)
      if held and unit_of(tonumber(held)) == unit_of(score) and score > tonumber(held) then
        redis.call('ZADD', KEYS[2], 'XX', score, user)
      end
    end
  end
  local k = window_of(ev, now)
  for i = last + 1, #ARGV - 2, 3 do
    local user, w = ARGV[i], tonumber(ARGV[i + 2])
    local score = score_of(ev, user, tonumber(ARGV[i + 1]))
    if score and (k - w) % HB_SPAN < (k - window_in(score)) % HB_SPAN then
      redis.call('ZADD', KEYS[2], 'XX', score - window_in(score) + w, user)
    end
  end
end

-- the feed is written from now on; one nobody read for FEED_LAPSE_MS is dropped and starts afresh
local lapsed = 0
if not ev.fseen or now - tonumber(ev.fseen) >= FEED_LAPSE_MS then
  lapsed = 1
  drop_feed()
end
ev.fseen = fmt_int(now)
redis.call('HSET', KEYS[1], 'fseen', ev.fseen)

local evicted = sweep_if_due(ev, now)

local fbase = tonumber(redis.call('HGET', KEYS[1], 'fbase')) or 0
local flen = redis.call('LLEN', KEYS[7])
local entries = {}
local from = tonumber(ARGV[2])
if from and from >= fbase and from < fbase + flen then
  entries = redis.call('LRANGE', KEYS[7], from - fbase, from - fbase + tonumber(ARGV[3]) - 1)
end
local allow = allowance(ev, now)
local free, ends = capacity_outlook(ev, now, allow)
return {ev.inc, run, state_of(ev, now), tonumber(ev.seq) or 0, tonumber(ev.pre) or 0, field(ev, 'dk') or '', fbase,
  flen, entries, redis.call('ZCARD', KEYS[2]), allow, fmt_float(eta_rate(ev, now)), ev.idle, now, lapsed,
  evicted, ev.mn >= EWMA_MIN_ADMISSIONS and 1 or 0, free, fmt_float(ends)}
