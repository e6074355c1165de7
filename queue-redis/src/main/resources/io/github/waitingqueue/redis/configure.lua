-- configure.lua: creates an event with the given settings, or changes them at run time. The bucket
-- keeps what it accumulated under the old rate, capped at the new burst. A new idle timeout restarts
-- idleness tracking: nobody is evicted for idleness until a full new timeout has passed. A new ready
-- grace clears the ready marks: the grace starts afresh for the head of the line.
-- KEYS: meta, queue, leases, joined, ready, audit (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2..] settings by name: rate, burst, cap, ttl, idle, grace, audit, auditmax
-- Reply: 1 created | 0 updated
-- Refuses (WQSTATE) before any write: the event is purging; keys exist without its settings.

local now = now_ms(ARGV[1])
local s = settings_from(2)
local ev = load_event()
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
  'audit', s.audit, 'auditmax', s.auditmax,
  'tokens', fmt_float(math.min(tonumber(s.burst), refilled(ev, now))), 'last', fmt_int(math.max(ev.last, now)))
if grace_changed then
  -- a new grace starts afresh for everyone at the head (and no mark outlives its ticket while it was off)
  redis.call('DEL', KEYS[5])
end
if tonumber(s.idle) ~= ev.idle then
  redis.call('HSET', KEYS[1], 'idle', s.idle, 'hbsince', fmt_int(now))
end
return 0
