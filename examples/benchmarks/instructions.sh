#!/bin/bash
# Instructions per call of status, join and enter, and of the floor (ZSCORE + ZRANK), for one or more
# builds of the library, counted by valgrind (callgrind) in a private redis-server: a figure that other
# processes on the machine cannot change, unlike Redis's time per call. Beside the costs section, for
# comparing two builds on a busy machine (instructions are not time: cache misses are not counted).
#
#   examples/benchmarks/instructions.sh --dump .  > /tmp/new.lua    # the library source of a built checkout
#   examples/benchmarks/instructions.sh /tmp/old.lua /tmp/new.lua    # both in one redis-server, side by side
#
# --dump DIR prints the Functions library of DIR's compiled classes (after mvn package or verify there).
# Each library joins a line of N users of its own (not counted), read by status (the user in the middle, K
# calls, pipelined) and admitted from its head by enter (K users); and K new users into a fresh event.
# Needs valgrind, redis-server, redis-cli. N=20000 K=2000 by default; about 2 minutes for two libraries.
set -eu
if [ "${1:-}" = "--dump" ]; then
  dir=${2:?--dump DIR}
  src=$(mktemp -d)/LibDump.java
  cat > "$src" <<'EOF'
public class LibDump {
  public static void main(String[] a) throws Exception {
    Class<?> c = Class.forName("io.github.waitingqueue.redis.ScriptLibrary");
    java.lang.reflect.Field f = c.getDeclaredField("LIBRARY");
    f.setAccessible(true);
    java.lang.reflect.Method m = c.getDeclaredMethod("functionsSource");
    m.setAccessible(true);
    System.out.print(m.invoke(f.get(null)));
  }
}
EOF
  exec java -cp "$dir/queue-core/target/classes:$dir/queue-redis/target/classes" "$src"
fi
[ $# -ge 1 ] || { echo "usage: $0 LIBRARY.lua... | --dump DIR" >&2; exit 2; }
N=${N:-20000}; K=${K:-2000}; PORT=${PORT:-6514}
work=$(mktemp -d); C="redis-cli -p $PORT"
valgrind --tool=callgrind --collect-atstart=yes --instr-atstart=no --callgrind-out-file="$work/cg.out" \
  redis-server --port "$PORT" --save '' --appendonly no > "$work/redis.log" 2>&1 &
vpid=$!
trap '$C shutdown nosave >/dev/null 2>&1 || true; wait $vpid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do $C ping >/dev/null 2>&1 && break; sleep 1; done
versions=(); packed=()
for f in "$@"; do
  $C -x FUNCTION LOAD REPLACE < "$f" >/dev/null
  versions+=("$(head -1 "$f" | sed 's/.*waitingqueue_//')")
  if grep -q 'settings_in(' "$f"; then packed+=(1); else packed+=(0); fi # join's settings: one argument, or pairs
done
$C FUNCTION LOAD REPLACE "#!lua name=wqinstrfloor
redis.register_function('wqinstr_floor', function(KEYS, ARGV) local s = redis.call('ZSCORE', KEYS[2], ARGV[2])
local r = redis.call('ZRANK', KEYS[2], ARGV[2]) return {s, r} end)" >/dev/null
keys() { printf 'wq:{%s}:meta\twq:{%s}:queue\twq:{%s}:leases\twq:{%s}:joined\twq:{%s}:ready\twq:{%s}:audit\twq:{%s}:feed\twq:{%s}:holders' \
  "$1" "$1" "$1" "$1" "$1" "$1" "$1" "$1"; }
settings="rate 1000000.0 burst 1000000 cap 1000000 ttl 3600000 idle 86400000 grace 86400000 audit 0 auditmax 100000 inv 0 ppu 0 lanes -"
joinargs() { if [ "$1" = 1 ]; then printf '%s' "$settings"; else printf '%s' "$settings" | tr ' ' '\t'; fi; }
# lines of tab-separated arguments to RESP
resp() { awk -F'\t' '{n = NF; printf "*%d\r\n", n; for (i = 1; i <= n; i++) printf "$%d\r\n%s\r\n", length($i), $i}'; }
joins() { # version packed event prefix from count
  seq "$5" $(($5 + $6 - 1)) | awk -v f="wq_join_$1" -v k="$(keys "$3")" -v s="$(joinargs "$2")" -v p="$4" \
    '{printf "FCALL\t%s\t8\t%s\t\t%s%08d\t%s\t\n", f, k, p, $1, s}' | resp
}
# each library's own line, created by its own join (a library may lay out the event's fields its own way)
for i in "${!versions[@]}"; do
  joins "${versions[$i]}" "${packed[$i]}" "line${versions[$i]}" u 1 "$N" | $C --pipe >/dev/null
done
mid=$((N / 2)); user=$(printf 'u%08d' "$mid"); jsec=$($C TIME | head -1)
segment() { # name, RESP file: instructions per call of the calls in it
  callgrind_control -z $vpid >/dev/null 2>&1; callgrind_control -i on $vpid >/dev/null 2>&1
  $C --pipe < "$2" >/dev/null
  callgrind_control -i off $vpid >/dev/null 2>&1; callgrind_control -d "$1" $vpid >/dev/null 2>&1
  local f; f=$(grep -l "^desc: Trigger: dump $1\$" "$work"/cg.out.* | head -1)
  grep -m1 '^totals:' "$f" | awk -v n="$1" -v k="$K" '{printf "%-28s %9.0f instructions per call\n", n, $2 / k}'
}
calls() { yes "$1" | head -"$K" | resp > "$work/calls.resp"; }
calls "$(printf 'FCALL\twqinstr_floor\t8\t%s\t\t%s\t%s\t%s\t' "$(keys "line${versions[0]}")" "$user" "$mid" "$jsec")"
segment floor "$work/calls.resp"
for i in "${!versions[@]}"; do
  v=${versions[$i]}
  inc=$($C HGET "wq:{line$v}:meta" inc)
  calls "$(printf 'FCALL\twq_status_%s\t8\t%s\t\t%s\t%s\t%s\t%s' "$v" "$(keys "line$v")" "$user" "$mid" "$jsec" "$inc")"
  segment "status_$v" "$work/calls.resp"
  joins "$v" "${packed[$i]}" "j$v" f 0 1 | $C --pipe >/dev/null # creates the event, outside the count
  joins "$v" "${packed[$i]}" "j$v" n 1 "$K" > "$work/calls.resp"
  segment "join_$v" "$work/calls.resp"
  seq 1 "$K" | awk -v f="wq_enter_$v" -v k="$(keys "line$v")" -v inc="$inc" \
    '{printf "FCALL\t%s\t8\t%s\t\tu%08d\t%d\t\t%s\n", f, k, $1, $1, inc}' | resp > "$work/calls.resp"
  segment "enter_$v" "$work/calls.resp"
done
