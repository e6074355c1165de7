package io.github.waitingqueue.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * The benchmark's own Redis functions, loaded beside the library's as the library {@code wqbench}: the
 * floor (a ticket's score and rank, the least any status must do) and small probes that each do one piece
 * of a call, to price the pieces. Each takes the library's own KEYS and ARGV (a status call's: ARGV[2] is
 * the user), so it is called exactly as the library's function is, with only the function name changed.
 */
final class Probes {
  /** ZSCORE + ZRANK of the user on the event's queue: the floor of issue 9. */
  static final String FLOOR = "wqbench_floor";
  /** The fields the library's load_event reads in one HMGET (common.lua). */
  static final String FIELDS_13 = "'rate', 'burst', 'cap', 'idle', 'grace', 'state', 'opens', 'tokens', 'last', 'mn',"
      + " 'swept', 'hbsince', 'audit'";
  /** Each probe: its name and its body, the same text for FCALL (as a function) and EVAL. */
  static final Map<String, String> BODIES = new LinkedHashMap<>();

  static {
    BODIES.put(FLOOR, "local s = redis.call('ZSCORE', KEYS[2], ARGV[2])\n"
        + "local r = redis.call('ZRANK', KEYS[2], ARGV[2])\nreturn {s, r}");
    BODIES.put("wqbench_noop", "return 0");
    BODIES.put("wqbench_time", "redis.call('TIME')\nreturn 0");
    BODIES.put("wqbench_hmget13", "redis.call('HMGET', KEYS[1], " + FIELDS_13 + ")\nreturn 0");
    BODIES.put("wqbench_hmget20", "redis.call('HMGET', KEYS[1], " + FIELDS_13
        + ", 'ttl', 'seq', 'joined', 'entered', 'ms', 'mt', 'm0')\nreturn 0");
    BODIES.put("wqbench_hmget13_table", "local v = redis.call('HMGET', KEYS[1], " + FIELDS_13 + ")\n"
        + "local ev = {rate = tonumber(v[1]), burst = tonumber(v[2]), cap = tonumber(v[3]), idle = tonumber(v[4]),\n"
        + "  grace = tonumber(v[5]), state = v[6], opens = tonumber(v[7]) or 0, tokens = tonumber(v[8]),\n"
        + "  last = tonumber(v[9]), mn = tonumber(v[10]) or 0, swept = tonumber(v[11]), hbsince = tonumber(v[12]),\n"
        + "  audit = v[13]}\nreturn 0");
    // the same conversions into locals: what the table itself costs beyond them
    BODIES.put("wqbench_hmget13_locals", "local v = redis.call('HMGET', KEYS[1], " + FIELDS_13 + ")\n"
        + "local rate, burst, cap, idle, grace, state, opens, tokens, last, mn, swept, hbsince, audit =\n"
        + "  tonumber(v[1]), tonumber(v[2]), tonumber(v[3]), tonumber(v[4]), tonumber(v[5]), v[6],\n"
        + "  tonumber(v[7]) or 0, tonumber(v[8]), tonumber(v[9]), tonumber(v[10]) or 0, tonumber(v[11]),\n"
        + "  tonumber(v[12]), v[13]\nreturn 0");
    BODIES.put("wqbench_hget", "redis.call('HGET', KEYS[1], 'seq')\nreturn 0");
    // a write to the ready hash (KEYS[5]): a field the sweep's ready marks drop again, harmless
    BODIES.put("wqbench_hincrby", "redis.call('HINCRBY', KEYS[5], 'wqbench-probe', 1)\nreturn 0");
    BODIES.put("wqbench_zcount_leases", "redis.call('ZCOUNT', KEYS[3], '(1', '+inf')\nreturn 0");
    BODIES.put("wqbench_join_mark", "redis.call('ZREVRANGEBYSCORE', KEYS[4], ARGV[3], '-inf', 'LIMIT', 0, 1)\n"
        + "return 0");
  }

  private Probes() {}

  /** The function library's source: each body as a function whose parameters are named KEYS and ARGV. */
  static String librarySource() {
    StringBuilder lua = new StringBuilder("#!lua name=wqbench\n");
    BODIES.forEach((name, body) -> lua.append("redis.register_function('").append(name)
        .append("', function(KEYS, ARGV)\n").append(body).append("\nend)\n"));
    return lua.toString();
  }

  /** Loads (or reloads) the probes as functions. */
  static void load(Jedis jedis) {
    jedis.functionLoadReplace(librarySource());
  }

  /** The probe {@code name} called with the KEYS and ARGV of {@code libraryCall}, as FCALL. */
  static ScriptCall call(String name, ScriptCall libraryCall) {
    return libraryCall.toFunction(name);
  }

  /** The probe {@code name} called with the KEYS and ARGV of {@code libraryCall}, as EVALSHA (loaded now). */
  static ScriptCall evalCall(Jedis jedis, String name, ScriptCall libraryCall) {
    String sha = jedis.scriptLoad(BODIES.get(name));
    return new ScriptCall(ScriptCall.EVALSHA, sha, libraryCall.keys(), libraryCall.args());
  }

  /** Names of every probe but the floor. */
  static List<String> pieces() {
    return BODIES.keySet().stream().filter(n -> !n.equals(FLOOR)).toList();
  }
}
