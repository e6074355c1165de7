-- purge.lua: deletes a closed event in bounded steps. The first call marks the event 'purging': from
-- then on every call but purge and stats is refused, so nothing half-purged is ever served or revived.
-- Each call removes at most PURGE_BATCH waiting tickets (counted as purged) and PURGE_BATCH leases, and
-- the remaining keys once those are empty. Call it until it replies 0.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or ''
-- Reply: waiting tickets and leases left (0 when every key of the event is gone) | -1 refused: the event is not closed

local now = now_ms(ARGV[1])
local ev = load_event()
if ev and state_of(ev, now) ~= STATE_CLOSED and ev.state ~= STATE_PURGING then
  return -1
end
if ev and ev.state ~= STATE_PURGING then
  redis.call('HSET', KEYS[1], 'state', STATE_PURGING)
end
local removed = redis.call('ZREMRANGEBYRANK', KEYS[2], 0, PURGE_BATCH - 1)
if removed > 0 and ev then
  redis.call('HINCRBY', KEYS[1], 'purged', removed)
end
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, PURGE_BATCH - 1)
local left = redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3])
if left == 0 then
  -- UNLINK frees the join-time index, the capped audit stream and the change feed off the main thread
  redis.call('UNLINK', KEYS[1], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
end
return left
