package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.redis.RedisWaitingQueue.ScriptMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * Section 3: round trips per operation, counted by Redis itself ({@code INFO commandstats} before and
 * after), in both ways the library reaches Redis. With functions (the default): every public operation
 * must be exactly one {@code FCALL} per call, nothing else; after {@code FUNCTION FLUSH} the first call
 * must be a failed FCALL, one {@code FUNCTION LOAD} and the FCALL again, the next ones one FCALL each. In
 * {@code EVAL} mode: exactly one {@code EVALSHA} per call; after {@code SCRIPT FLUSH} the first call one
 * EVALSHA plus one {@code EVAL}, the next ones EVALSHA only.
 */
final class RoundTrips {
  private static final int CALLS = 1_000;

  private RoundTrips() {}

  static Map<String, Object> run(Bench b) throws Exception {
    b.header("roundtrips", "FCALL (and, in EVAL mode, EVALSHA) per call, from Redis INFO commandstats");
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> fcall = mode(b, ScriptMode.AUTO, "fcall");
    Map<String, Object> evalsha = mode(b, ScriptMode.EVAL, "evalsha");
    out.put("fcall", fcall);
    out.put("evalsha", evalsha);
    out.put("goal", "exactly one FCALL per call (one EVALSHA in EVAL mode), nothing else after the first load");
    out.put("met", Boolean.TRUE.equals(fcall.get("met")) && Boolean.TRUE.equals(evalsha.get("met")));
    return out;
  }

  /** Every operation {@link #CALLS} times through a queue in {@code mode}; {@code command} is its round trip. */
  private static Map<String, Object> mode(Bench b, ScriptMode mode, String command) throws Exception {
    Bench.print("-- %s mode: one %s per call", mode, command.toUpperCase(java.util.Locale.ROOT));
    Map<String, Object> out = new LinkedHashMap<>();
    boolean allMet = true;
    try (RedisClient client = b.redis.client(1)) {
      WaitingQueue queue = b.queue(client, mode);
      String event = "roundtrips-" + command;
      String[] waiting = new String[CALLS * 3];
      String[] reservations = new String[CALLS * 3];
      Map<String, LongConsumer> ops = new LinkedHashMap<>();
      ops.put("join", i -> queue.join(event + "-join", Users.id(i)));
      ops.put("status", i -> queue.status(waiting[(int) i]));
      ops.put("enter", i -> reservations[(int) i] = queue.enter(waiting[(int) i]).reservation()
          .map(Reservation::token).orElseThrow());
      ops.put("leave", i -> queue.leave(waiting[(int) (CALLS * 3 - 1 - i)]));
      ops.put("verify", i -> queue.verify(reservations[(int) i]));
      ops.put("complete", i -> queue.complete(reservations[(int) i]));
      ops.put("release", i -> queue.release(reservations[(int) (CALLS + i)]));
      ops.put("stats", i -> queue.stats(event));
      ops.put("settings", i -> queue.settings(event));
      ops.put("configure", i -> queue.configure(event, Bench.SETTINGS));
      // The line the counted calls work on, and the first use of the code (its load on the node).
      for (long i = 0; i < CALLS * 3; i++) {
        waiting[(int) i] = queue.join(event, Users.id(i)).waitingToken();
      }
      for (long i = CALLS; i < CALLS * 2; i++) {
        EnterResult r = queue.enter(waiting[(int) i]);
        reservations[(int) i] = r.reservation().orElseThrow().token();
      }
      queue.status(waiting[CALLS * 2]);
      queue.verify(reservations[CALLS]);
      queue.complete(reservations[CALLS * 2 - 1]);
      queue.stats(event);
      queue.configure(event, Bench.SETTINGS);
      queue.leave(waiting[CALLS * 2]);
      for (Map.Entry<String, LongConsumer> op : ops.entrySet()) {
        LongConsumer call = op.getValue();
        CommandStats before = b.commandStats();
        for (long i = 0; i < CALLS; i++) {
          call.accept(i);
        }
        CommandStats delta = b.commandStats().since(before);
        boolean met = delta.onlyScriptCommand(command, CALLS);
        allMet &= met;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calls", CALLS);
        for (String c : CommandStats.SCRIPT_COMMANDS) {
          m.put(c.replace('|', '_'), delta.of(c));
        }
        m.put("round_trips_per_call", delta.of(command) / (double) CALLS);
        // Where Redis's time goes: the whole call, and the commands it ran inside it.
        double redisMicros = delta.micros(command) / (double) CALLS;
        double inner = delta.innerMicros() / (double) CALLS;
        m.put("redis_usec_per_call", redisMicros);
        m.put("redis_usec_in_commands_per_call", inner);
        m.put("redis_commands_per_call", delta.innerCalls() / (double) CALLS);
        m.put("costliest_command", delta.costliestInner());
        m.put("met", met);
        out.put(op.getKey(), m);
        Bench.print("%-9s %d calls: %s -> %.2f round trips per call %s   Redis %.1f us/call: %.1f in "
            + "%.1f commands (most: %s), %.1f in Lua", op.getKey(), CALLS, delta.scriptCommands(),
            delta.of(command) / (double) CALLS, Bench.verdict(met), redisMicros, inner,
            delta.innerCalls() / (double) CALLS, delta.costliestInner(), redisMicros - inner);
      }

      // The node loses the code: the first call loads it once, the next ones are single round trips again.
      String flush = mode == ScriptMode.EVAL ? "SCRIPT FLUSH" : "FUNCTION FLUSH";
      try (Jedis admin = b.redis.admin()) {
        if (mode == ScriptMode.EVAL) {
          admin.scriptFlush();
        } else {
          admin.functionFlush();
        }
      }
      CommandStats before = b.commandStats();
      queue.stats(event);
      CommandStats first = b.commandStats().since(before);
      before = b.commandStats();
      for (int i = 0; i < CALLS; i++) {
        queue.stats(event);
      }
      CommandStats rest = b.commandStats().since(before);
      boolean reload = mode == ScriptMode.EVAL
          ? first.of("evalsha") == 1 && first.of("eval") == 1 && first.of("fcall") == 0
          : first.of("fcall") == 2 && first.of("function|load") == 1 && first.of("evalsha") == 0;
      boolean fallback = reload && rest.onlyScriptCommand(command, CALLS);
      allMet &= fallback;
      Map<String, Object> after = new LinkedHashMap<>();
      after.put("first_call", first.scriptCommands());
      after.put("next_calls", rest.scriptCommands());
      after.put("met", fallback);
      out.put("after_" + flush.toLowerCase(java.util.Locale.ROOT).replace(' ', '_'), after);
      Bench.print("after %s: first call %s (%s), next %d calls %s  %s", flush, first.scriptCommands(),
          mode == ScriptMode.EVAL ? "NOSCRIPT, then EVAL" : "function not found, FUNCTION LOAD, FCALL again", CALLS,
          rest.scriptCommands(), Bench.verdict(fallback));
    }
    out.put("met", allMet);
    return out;
  }
}
