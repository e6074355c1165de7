-- stats.lua: one atomic snapshot of an event's counters, state and settings.
-- KEYS: meta, queue, leases, joined, hb0, hb1, hb2, ready, audit (see common.lua)
-- ARGV[1] now ms or ''
-- Reply: {exists (1/0), waiting, admitted, joined, entered, left, evicted, released, completed,
--         state ('open', 'paused', 'closed', 'scheduled'), opens at ms (0 when not scheduled),
--         measured admissions per second (string, '0' before enough admissions),
--         rate per second (string, as stored), burst, capacity, reservation ttl ms, idle timeout ms,
--         ready grace ms, audit (1/0), audit max length}

local now = now_ms(ARGV[1])
local ev = load_event()
if not ev then
  return {0, 0, 0, 0, 0, 0, 0, 0, 0, 'open', 0, '0', '0', 0, 0, 0, 0, 0, 0, 0}
end
local c = redis.call('HMGET', KEYS[1], 'joined', 'entered', 'left', 'evicted', 'released', 'completed', 'rate')
local function n(x)
  return tonumber(x) or 0
end
local st = state_of(ev, now)
local opens = 0
if st == 'scheduled' then
  opens = ev.opens
end
local audit = 0
if ev.audit == '1' then
  audit = 1
end
return {1, redis.call('ZCARD', KEYS[2]), active_leases(now), n(c[1]), n(c[2]), n(c[3]), n(c[4]), n(c[5]), n(c[6]),
  st, opens, fmt_float(measured_rate(ev, now)), c[7], ev.burst, ev.cap, ev.ttl, ev.idle, ev.grace, audit, ev.auditmax}
