-- line.lua: one chunk of a line, in line order, for a line mirror that bootstraps (LineMirror.java). A
-- mirror reads the chunks after it started reading the change feed (mirror.lua), so whatever changes
-- between two chunks is in the feed.
-- KEYS: meta, queue, leases, joined, ready, audit, feed, holders (see common.lua)
-- ARGV[1] now ms or ''   ARGV[2] the order unit of the last ticket of the previous chunk, or '' for the head
-- ARGV[3] most tickets to return
-- Reply: the order units (the sequence of a FIFO ticket, the place - PRE_BITS of a pre-queue one) of up to
--        ARGV[3] tickets after ARGV[2], in line order

local from = '-inf'
if ARGV[2] ~= '' then
  -- every score of a unit lies in [unit * HB_SPAN, unit * HB_SPAN + HB_SPAN - 1]
  from = '(' .. fmt_int(tonumber(ARGV[2]) * HB_SPAN + HB_SPAN - 1)
end
local items = redis.call('ZRANGEBYSCORE', KEYS[2], from, '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
local units = {}
for i = 2, #items, 2 do
  units[#units + 1] = unit_of(tonumber(items[i]))
end
return units
