-- lifecycle.lua: opens (or resumes), pauses, closes or schedules the opening of an event. Creates the
-- event with the given default settings when it does not exist yet.
-- KEYS: meta, queue, leases, joined, hb0, hb1, hb2, ready, audit (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] 'open' | 'paused' | 'closed' | 'scheduled'   ARGV[3] opening ms (scheduled)
-- ARGV[4..11] default settings, as join.lua
-- Reply: 1 done | 0 refused: a scheduled opening needs a new event, a still-scheduled one, or an empty line

local now = now_ms(ARGV[1])
local target = ARGV[2]
local ev = load_event()
if not ev then
  create_event(now, {ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11]})
  ev = load_event()
end
if target == 'scheduled' then
  -- pre-queue tickets sort ahead of FIFO ones, so a line of FIFO tickets must not get a pre-queue
  if state_of(ev, now) ~= 'scheduled' and redis.call('ZCARD', KEYS[2]) > 0 then
    return 0
  end
  redis.call('HSET', KEYS[1], 'state', 'scheduled', 'opens', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'state', target)
  redis.call('HDEL', KEYS[1], 'opens')
end
record(ev, target, '', 0, now)
return 1
