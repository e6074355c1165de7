-- sweep.lua: an explicit sweep of an event, whenever the operator calls it: evicts idle waiters
-- (a larger batch than ordinary calls sweep) and ready tickets past their grace; purges expired leases.
-- KEYS: meta, queue, leases, joined, hb0, hb1, hb2, ready, audit (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] how many tickets to examine for idleness (bounded by the caller)
-- Reply: tickets evicted

local now = now_ms(ARGV[1])
local ev = load_event()
if not ev then
  return 0
end
rotate_windows(ev, now)
purge_expired_leases(ev, now)
return sweep(ev, now, tonumber(ARGV[2]))
