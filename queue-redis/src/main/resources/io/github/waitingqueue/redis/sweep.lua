-- sweep.lua: an explicit sweep of an event, whenever the operator (or the queue's background sweeper)
-- calls it: purges expired leases, evicts idle waiters and ready tickets past their grace.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or ''
-- Reply: tickets evicted

local now = now_ms(ARGV[1])
local ev = load_event()
if not ev or ev.state == STATE_PURGING then
  return 0
end
return sweep(ev, now, EXPLICIT_SWEEP_BATCH)
