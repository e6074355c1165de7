-- configure.lua: creates an event with the given settings, or changes them at run time. The bucket
-- keeps what it accumulated under the old rate, capped at the new burst. A new idle timeout restarts
-- idleness tracking: nobody is evicted for idleness until a full new timeout has passed. A new ready
-- grace clears the ready marks: the grace starts afresh for the head of the line.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- A new inventory opens a sold-out event again when items remain, and makes an open (or paused, or
-- scheduled) one sold out when its completions already reach it.
-- ARGV[1] now ms or ''   ARGV[2..] settings by name: rate, burst, cap, ttl, idle, grace, audit, auditmax, inv, ppu,
--   lanes ('name=priority,...', '-' for none: tickets waiting in a lane keep their place whatever changes)
-- Reply: 1 created | 0 updated
-- Refuses (WQSTATE) before any write: the event is purging; keys exist without its settings.

local now = now_ms(ARGV[1])
local s = settings_from(2)
local ev = load_event('completed')
if not ev then
  local lost = refusal_if_lost()
  if lost then
    return lost
  end
  create_event(now, s)
  return 1
end
if ev.state == STATE_PURGING then
  return refuse('the event is being purged; finish purgeEvent before configuring it again')
end
local grace_changed = tonumber(s.grace) ~= number_field(ev, 'grace')
redis.call('HSET', KEYS[1], 'rate', s.rate, 'burst', s.burst, 'cap', s.cap, 'ttl', s.ttl, 'grace', s.grace,
  'audit', s.audit, 'auditmax', s.auditmax, 'inv', s.inv, 'ppu', s.ppu, 'lanes', s.lanes,
  'tokens', fmt_float(math.min(tonumber(s.burst), refilled(ev, now))), 'last', fmt_int(math.max(ev.last, now)))
if grace_changed then
  -- a new grace starts afresh for everyone at the head (and no mark outlives its ticket while it was off)
  redis.call('DEL', KEYS[5])
end
if tonumber(s.idle) ~= ev.idle then
  redis.call('HSET', KEYS[1], 'idle', s.idle, 'hbsince', fmt_int(now))
end
ev.inv = s.inv
local gone = items_gone(ev)
if ev.state == STATE_SOLD_OUT and not gone then
  -- a raised inventory: the sale goes on
  redis.call('HSET', KEYS[1], 'state', STATE_OPEN)
  record(ev, STATE_OPEN, '', 0, now)
elseif ev.state ~= STATE_SOLD_OUT and ev.state ~= STATE_CLOSED and gone then
  sell_out(ev, now) -- lowered to what is sold already
end
return 0
