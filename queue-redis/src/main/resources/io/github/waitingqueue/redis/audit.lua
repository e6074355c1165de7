-- audit.lua: reads the audit trail of an event, oldest first.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or '' (unused)   ARGV[2] read entries after this stream id ('0' from the start)
-- ARGV[3] at most this many entries
-- Reply: array of {id, {field, value, ...}} as XRANGE gives it

return redis.call('XRANGE', KEYS[6], '(' .. ARGV[2], '+', 'COUNT', tonumber(ARGV[3]))
