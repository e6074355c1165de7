-- status.lua: where a ticket stands. Consumes no admission; counts as the ticket's heartbeat, and
-- sweeps the event when a sweep is due.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] userId   ARGV[3] sequence from the token
-- ARGV[4] epoch second of the join from the token, or '' (tokens of the first format): then looked up
-- ARGV[5] the event's incarnation from the token, or '' (tokens of formats 1 and 2)
-- Reply: {ticket state (TICKET_*), position, eta seconds, waited seconds, tickets evicted,
--         idle timeout ms (for the pacing hint), what the eta is from (ETA_*, as TicketStatus.etaBasisOf)}

local now = now_ms(ARGV[1])
local user = ARGV[2]
local seq = tonumber(ARGV[3])
local ev = load_event()
if not ev then
  return {TICKET_NOT_FOUND, 0, 0, 0, 0, 0, ETA_NONE}
end
if ev.state == STATE_PURGING then
  return {TICKET_CLOSED, 0, 0, 0, 0, 0, ETA_NONE}
end
local score = same_incarnation(ev, ARGV[5]) and score_of(ev, user, seq)
if score then
  heartbeat(ev, user, score, now)
end
local evicted = sweep_if_due(ev, now)
if score and evicted > 0 then
  score = score_of(ev, user, seq) -- the sweep may have skipped this ticket past its ready grace
end
if not score then
  return {TICKET_NOT_FOUND, 0, 0, 0, evicted, 0, ETA_NONE}
end

local code, position, wait = ticket_view(ev, now, redis.call('ZRANK', KEYS[2], user) + 1)
local joined = tonumber(ARGV[4]) or joined_second(seq) or math.floor(now / 1000)
local basis = ETA_NONE
if code == TICKET_WAITING or code == TICKET_PAUSED then
  basis = ev.mn >= EWMA_MIN_ADMISSIONS and ETA_MEASURED_RATE or ETA_CONFIGURED_RATE
elseif code == TICKET_PRE_QUEUE then
  basis = ETA_OPENING
end
return {code, position, wait, math.max(0, math.floor(now / 1000) - joined), evicted, ev.idle, basis}
