-- configure.lua: creates an event with the given settings, or changes them at run time. The bucket
-- keeps what it accumulated under the old rate, capped at the new burst.
-- KEYS: meta, queue, leases, joined (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] rate per second   ARGV[3] burst   ARGV[4] capacity (0 = unlimited)
-- ARGV[5] reservation ttl ms
-- Reply: 1 created | 0 updated

local now = now_ms(ARGV[1])
local burst = tonumber(ARGV[3])
local ev = load_event()
if not ev then
  redis.call('HSET', KEYS[1], 'rate', ARGV[2], 'burst', ARGV[3], 'cap', ARGV[4], 'ttl', ARGV[5],
    'tokens', ARGV[3], 'last', fmt_int(now), 'seq', 0)
  return 1
end
redis.call('HSET', KEYS[1], 'rate', ARGV[2], 'burst', ARGV[3], 'cap', ARGV[4], 'ttl', ARGV[5],
  'tokens', fmt_float(math.min(burst, refilled(ev, now))), 'last', fmt_int(math.max(ev.last, now)))
return 0
