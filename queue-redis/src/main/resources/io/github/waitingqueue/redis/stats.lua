-- stats.lua: one atomic snapshot of an event's counters, state and settings, by name.
-- KEYS: meta, queue, leases, joined, ready, audit (see common.lua)
-- ARGV[1] now ms or ''
-- Reply: {name, value, name, value, ...}: exists (1/0); when it exists also
--   state ('open', 'paused', 'closed', 'scheduled', 'purging'), opens (ms, 0 unless scheduled),
--   waiting, admitted, joined, entered, left, evicted, released, completed, purged,
--   measured (admissions per second, a string), and the settings as stored: rate (string), burst, cap,
--   ttl, idle, grace (ms), audit (1/0), auditmax

local now = now_ms(ARGV[1])
local ev = load_event()
if not ev then
  return {'exists', 0}
end
local c = redis.call('HMGET', KEYS[1], 'joined', 'entered', 'left', 'evicted', 'released', 'completed', 'purged',
  'rate', 'ttl', 'auditmax')
local function n(x)
  return tonumber(x) or 0
end
local st = state_of(ev, now)
local opens = 0
if st == STATE_SCHEDULED then
  opens = ev.opens
end
local audit = 0
if ev.audit == '1' then
  audit = 1
end
return {'exists', 1, 'state', st, 'opens', opens, 'waiting', redis.call('ZCARD', KEYS[2]),
  'admitted', active_leases(now), 'joined', n(c[1]), 'entered', n(c[2]), 'left', n(c[3]), 'evicted', n(c[4]),
  'released', n(c[5]), 'completed', n(c[6]), 'purged', n(c[7]), 'measured', fmt_float(measured_rate(ev, now)),
  'rate', c[8], 'burst', ev.burst, 'cap', ev.cap, 'ttl', n(c[9]), 'idle', ev.idle, 'grace', ev.grace,
  'audit', audit, 'auditmax', n(c[10])}
