-- join.lua: puts a user at the end of an event's line, or returns the ticket they already hold.
-- Creates the event with the given default settings when it does not exist yet. Before a scheduled
-- opening the ticket goes to the pre-queue: its place under the event's draw, ahead of every later joiner.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId
-- ARGV[3] default settings by name in one argument: 'rate R burst B cap C ttl T idle I grace G audit A auditmax M
--         inv N ppu P lanes L'
-- ARGV[4] the lane to join, or '' (or nothing) for the general line
-- Reply: {outcome (JOIN_*), sequence, ticket state (TICKET_*), position, eta seconds, tickets evicted,
--         epoch second of the join and the event's incarnation (both for the waiting token)}
-- No ticket for a new user when the event is closed (JOIN_EVENT_CLOSED) or sold out (JOIN_SOLD_OUT), or when
-- the per-user limit refuses them (JOIN_HOLDS_RESERVATION, JOIN_ALREADY_PURCHASED).
-- Refuses (WQSTATE) before any write: keys of the event exist without its settings; the event issued
-- MAX_SEQUENCE tickets. Refuses (WQINPUT) before any write: the event (or the one join would create) has no
-- lane ARGV[4]. A user already waiting keeps their ticket, in the lane they joined.

local now = now_ms(ARGV[1])
local user = ARGV[2]
local ev = load_event('seq', 'jsec', 'audit', 'ppu')
local lost = not ev and refusal_if_lost()
if lost then
  return lost
end
local block = 0
local lane = ARGV[4] or '' -- a caller that names no lane joins the general line
if lane ~= '' then
  block = lane_block(ev and field(ev, 'lanes') or settings_in(ARGV[3]).lanes, lane)
  if not block then
    return redis.error_reply('WQINPUT no lane ' .. lane)
  end
end
local st = ev and state_of(ev, now) or STATE_OPEN
if st == STATE_PURGING then
  return {JOIN_EVENT_CLOSED, 0, TICKET_CLOSED, 0, 0, 0, 0, 0}
end
local second = (now - now % 1000) / 1000
local seq = ev and ev.seq + 1 or 1 -- arithmetic converts as tonumber does, without a call
local score
if st == STATE_CLOSED or st == STATE_SOLD_OUT or seq > MAX_SEQUENCE then
  -- no new ticket can be issued: only one already in line is served
  score = redis.call('ZSCORE', KEYS[2], user)
  if not score and st == STATE_CLOSED then
    return {JOIN_EVENT_CLOSED, 0, TICKET_CLOSED, 0, 0, 0, 0, 0}
  elseif not score and st == STATE_SOLD_OUT then
    return {JOIN_SOLD_OUT, 0, TICKET_SOLD_OUT, 0, 0, 0, 0, 0}
  elseif not score then
    return refuse('this event has issued its last sequence number; close it and open another')
  end
else
  local refusal = ev and per_user_refusal(ev, user, now)
  if refusal then
    return {refusal, 0, TICKET_NOT_FOUND, 0, 0, 0, 0, 0}
  end
  -- every check is done. A new ticket is added in the same step that finds out whether it is new.
  if not ev then
    ev = create_event(now, settings_in(ARGV[3]))
  end
  local w = window_of(ev, now)
  local prequeue = st == STATE_SCHEDULED and seq < PRE_BITS
  local fresh = prequeue and prequeue_score(ev, block, seq, w) or fifo_score(block, seq, w)
  if redis.call('ZADD', KEYS[2], 'NX', fmt_int(fresh), user) == 0 then
    score = redis.call('ZSCORE', KEYS[2], user)
  else
    -- The sequence counts the tickets ever created; the join time is indexed once per second, so
    -- waiting time costs no memory per user.
    if prequeue then
      -- a mirror of the line tells pre-queue sequences (shuffled by the draw) from FIFO ones by this
      redis.call('HSET', KEYS[1], 'pre', fmt_int(seq))
    end
    if not ev.jsec or ev.jsec + 0 ~= second then
      redis.call('ZADD', KEYS[4], seq, fmt_int(seq) .. ':' .. fmt_int(second))
      redis.call('HSET', KEYS[1], 'seq', fmt_int(seq), 'jsec', fmt_int(second))
    else
      redis.call('HSET', KEYS[1], 'seq', fmt_int(seq))
    end
    if block ~= 0 then
      -- a line mirror learns joins to the general line from the counter, and those to other lanes from this
      feed_append(ev, '+' .. fmt_int(unit_of(fresh)), now)
      if not field(ev, 'laned') then
        redis.call('HSET', KEYS[1], 'laned', '1')
        ev.laned = '1'
      end
    end
    record(ev, 'joined', user, seq, now)
    local evicted = sweep_if_due(ev, now)
    -- a new FIFO ticket of the general line is the last in line: no lane stands behind it (a sweep never
    -- evicts a ticket seen this instant)
    local rank = (prequeue or block ~= 0) and redis.call('ZRANK', KEYS[2], user) or redis.call('ZCARD', KEYS[2]) - 1
    local code, position, wait = ticket_view(ev, now, rank + 1)
    return {JOIN_JOINED, seq, code, position, wait, evicted, second, ev.inc}
  end
end

score = tonumber(score)
seq = seq_of(ev, score)
heartbeat(ev, user, score, now)
second = joined_second(seq) or second
local evicted = sweep_if_due(ev, now)
local rank = redis.call('ZRANK', KEYS[2], user)
if not rank then
  -- only a ready ticket that overstayed its grace can be swept here; it is gone like any evicted one
  return {JOIN_ALREADY_WAITING, seq, TICKET_NOT_FOUND, 0, 0, evicted, second, ev.inc}
end
local code, position, wait = ticket_view(ev, now, rank + 1)
return {JOIN_ALREADY_WAITING, seq, code, position, wait, evicted, second, ev.inc}
