-- configure.lua: creates an event with the given settings, or changes them at run time. The bucket
-- keeps what it accumulated under the old rate, capped at the new burst. A new idle timeout restarts
-- idleness tracking: nobody is evicted for idleness until a full new timeout has passed.
-- KEYS: meta, queue, leases, joined, hb0, hb1, hb2, ready, audit (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2..9] settings: rate per second, burst, capacity (0 = unlimited),
--   reservation ttl ms, idle timeout ms (0 = never), ready grace ms (0 = never), audit ('1'/'0'),
--   audit max length
-- Reply: 1 created | 0 updated

local now = now_ms(ARGV[1])
local ev = load_event()
if not ev then
  create_event(now, {ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]})
  return 1
end
redis.call('HSET', KEYS[1], 'rate', ARGV[2], 'burst', ARGV[3], 'cap', ARGV[4], 'ttl', ARGV[5],
  'grace', ARGV[7], 'audit', ARGV[8], 'auditmax', ARGV[9],
  'tokens', fmt_float(math.min(tonumber(ARGV[3]), refilled(ev, now))), 'last', fmt_int(math.max(ev.last, now)))
if tonumber(ARGV[6]) ~= ev.idle then
  redis.call('DEL', KEYS[5], KEYS[6], KEYS[7])
  redis.call('HDEL', KEYS[1], 'hbw')
  redis.call('HSET', KEYS[1], 'idle', ARGV[6], 'hbsince', fmt_int(now))
end
return 0
