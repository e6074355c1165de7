-- purge.lua: deletes a closed event in bounded steps: each call removes at most 1000 entries of each
-- sorted set, and the remaining keys once those are empty. Call it until it replies 0.
-- KEYS: meta, queue, leases, joined, hb0, hb1, hb2, ready, audit (see common.lua)
-- ARGV[1] now ms or ''
-- Reply: entries left (0 when every key of the event is gone) | -1 refused: the event is not closed

local now = now_ms(ARGV[1])
local ev = load_event()
if ev and state_of(ev, now) ~= 'closed' then
  return -1
end
local left = 0
for _, key in ipairs({KEYS[2], KEYS[3], KEYS[4]}) do
  redis.call('ZREMRANGEBYRANK', key, 0, 999)
  left = left + redis.call('ZCARD', key)
end
if left == 0 then
  -- UNLINK frees the bitmaps and the capped audit stream off the main thread
  redis.call('UNLINK', KEYS[1], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9])
end
return left
