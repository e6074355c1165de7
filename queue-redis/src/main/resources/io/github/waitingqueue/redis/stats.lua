-- stats.lua: one atomic snapshot of an event's counters, state and settings, by name.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or ''
-- Reply: {name, value, name, value, ...}: exists (1/0); when it exists also
--   state ('open', 'paused', 'closed', 'scheduled', 'purging', 'sold_out'), opens (ms, 0 unless scheduled),
--   waiting, bypriority (of those, 'priority:count,...' for each lane priority where somebody waits,
--   highest first), admitted, joined, entered, left, evicted, released, completed, purged,
--   measured (admissions per second, a string), ends (reservations ending per second, a string), and the settings as stored: rate (string), burst, cap,
--   ttl, idle, grace (ms), audit (1/0), auditmax, inv (items, 0 unlimited), ppu (LIMIT_* code), lanes
--   ('name=priority,...', '-' for none); and, once an opening was scheduled, commit (the SHA-256 of
--   the pre-queue's draw seed) and, from the moment its order took effect, seed

local now = now_ms(ARGV[1])
local ev = load_event('seq', 'left', 'evicted', 'released', 'completed', 'purged', 'ttl', 'auditmax',
  'ms', 'mt', 'm0', 'audit', 'grace', 'commit', 'seed', 'dopens', 'inv', 'ppu', 'lanes')
if not ev then
  return {'exists', 0}
end
local function n(x)
  return tonumber(x) or 0
end
local st = state_of(ev, now)
local opens = 0
if st == STATE_SCHEDULED then
  opens = opens_of(ev)
end
local audit = 0
if ev.audit == '1' then
  audit = 1
end
local waiting = redis.call('ZCARD', KEYS[2])
-- how many wait at each lane priority: a count of each lane's block once a ticket joined a lane above the
-- general line, the whole line before
local by_priority = {}
if field(ev, 'laned') then
  for p = MAX_LANE_PRIORITY, 0, -1 do
    local low = -p * LANE_SPAN - LANE_SPAN / 2
    local count = redis.call('ZCOUNT', KEYS[2], fmt_int(low), '(' .. fmt_int(low + LANE_SPAN))
    if count > 0 then
      by_priority[#by_priority + 1] = p .. ':' .. count
    end
  end
elseif waiting > 0 then
  by_priority[1] = '0:' .. waiting
end
local reply = {'exists', 1, 'state', st, 'opens', opens, 'waiting', waiting,
  'bypriority', table.concat(by_priority, ','),
  'admitted', active_leases(ev, now), 'joined', n(ev.seq), 'entered', ev.mn, 'left', n(ev.left),
  'evicted', n(ev.evicted), 'released', n(ev.released), 'completed', n(ev.completed), 'purged', n(ev.purged),
  'measured', fmt_float(measured_rate(ev, now)), 'ends', fmt_float(end_rate(ev, now)), 'rate', redis.call('HGET', KEYS[1], 'rate'), 'burst', ev.burst, 'cap', ev.cap,
  'ttl', n(ev.ttl), 'idle', ev.idle, 'grace', n(ev.grace), 'audit', audit, 'auditmax', n(ev.auditmax),
  'inv', n(ev.inv), 'ppu', n(ev.ppu), 'lanes', ev.lanes or '-'}
if ev.commit then
  reply[#reply + 1] = 'commit'
  reply[#reply + 1] = ev.commit
  if tonumber(ev.dopens) and now >= tonumber(ev.dopens) then
    reply[#reply + 1] = 'seed'
    reply[#reply + 1] = ev.seed
  end
end
return reply
