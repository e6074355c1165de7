-- lifecycle.lua: opens (or resumes), pauses, closes or schedules the opening of an event. Creates the
-- event with the given default settings when it does not exist yet.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] 'open' | 'paused' | 'closed' | 'scheduled'   ARGV[3] opening ms (scheduled)
-- ARGV[4] a fresh draw seed, ARGV[5] its SHA-256, ARGV[6] its round keys (space separated): taken when
--   the event becomes scheduled; an event already scheduled keeps its draw, so its pre-queue keeps its order
-- ARGV[7..] default settings by name, as join.lua
-- Reply: 1 done
-- Refuses (WQSTATE) before any write: the event is purging; it is sold out (only closing is allowed); keys exist without its settings; a
-- scheduled opening for an event with people in line that is not scheduled already (they would be
-- overtaken by the pre-queue).

local now = now_ms(ARGV[1])
local target = ARGV[2]
local ev = load_event()
if not ev then
  local lost = refusal_if_lost()
  if lost then
    return lost
  end
elseif ev.state == STATE_PURGING then
  return refuse('the event is being purged; finish purgeEvent before opening it again')
elseif ev.state == STATE_SOLD_OUT and target ~= STATE_CLOSED then
  return refuse('the event is sold out: raise its inventory with configure to sell on')
elseif target == STATE_SCHEDULED and state_of(ev, now) ~= STATE_SCHEDULED and redis.call('ZCARD', KEYS[2]) > 0 then
  return refuse('the event has people in line; a pre-queue would overtake them')
end
if not ev then
  ev = create_event(now, settings_from(7))
end
local was = state_of(ev, now)
if target == STATE_SCHEDULED then
  if was == STATE_SCHEDULED then
    redis.call('HSET', KEYS[1], 'state', target, 'opens', ARGV[3], 'dopens', ARGV[3])
  else
    redis.call('HSET', KEYS[1], 'state', target, 'opens', ARGV[3], 'dopens', ARGV[3], 'seed', ARGV[4],
      'commit', ARGV[5], 'dk', ARGV[6])
  end
else
  if was == STATE_SCHEDULED and target == STATE_OPEN then
    -- opened early: the pre-queue's order takes effect, and its seed is published, now
    redis.call('HSET', KEYS[1], 'dopens', fmt_int(now))
  end
  redis.call('HSET', KEYS[1], 'state', target)
  redis.call('HDEL', KEYS[1], 'opens')
end
record(ev, target, '', 0, now)
return 1
