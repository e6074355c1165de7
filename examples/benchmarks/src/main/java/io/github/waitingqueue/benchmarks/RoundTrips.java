package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.WaitingQueue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * Section 3: round trips per operation, counted by Redis itself ({@code INFO commandstats} before and
 * after): every public operation must be exactly one EVALSHA per call, with no EVAL once its script is
 * cached; and after {@code SCRIPT FLUSH} the first call must fall back to one EVAL and the next ones be
 * EVALSHA again.
 */
final class RoundTrips {
  private static final int CALLS = 1_000;

  private RoundTrips() {}

  static Map<String, Object> run(Bench b) throws Exception {
    b.header("roundtrips", "EVALSHA and EVAL per call, from Redis INFO commandstats");
    Map<String, Object> out = new LinkedHashMap<>();
    boolean allMet = true;
    try (RedisClient client = b.redis.client(1)) {
      WaitingQueue queue = b.queue(client);
      String event = "roundtrips";
      String[] waiting = new String[CALLS * 3];
      String[] reservations = new String[CALLS * 3];
      Map<String, LongConsumer> ops = new LinkedHashMap<>();
      ops.put("join", i -> queue.join("roundtrips-join", Users.id(i)));
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
      // The line the counted calls work on, and the first use of each script (NOSCRIPT, then EVAL).
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
        boolean met = delta.of("evalsha") == CALLS && delta.of("eval") == 0;
        allMet &= met;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calls", CALLS);
        m.put("evalsha", delta.of("evalsha"));
        m.put("eval", delta.of("eval"));
        m.put("evalsha_per_call", delta.of("evalsha") / (double) CALLS);
        // Where Redis's time goes: the script's whole run, and the commands it called inside it.
        double redisMicros = delta.micros("evalsha") / (double) CALLS;
        double inner = delta.innerMicros() / (double) CALLS;
        m.put("redis_usec_per_call", redisMicros);
        m.put("redis_usec_in_commands_per_call", inner);
        m.put("redis_commands_per_call", delta.innerCalls() / (double) CALLS);
        m.put("costliest_command", delta.costliestInner());
        out.put(op.getKey(), m);
        Bench.print("%-9s %d calls: %d EVALSHA, %d EVAL -> %.2f round trips per call %s   Redis %.1f us/call: %.1f in "
            + "%.1f commands (most: %s), %.1f in Lua", op.getKey(), CALLS, delta.of("evalsha"), delta.of("eval"),
            delta.of("evalsha") / (double) CALLS, Bench.verdict(met), redisMicros, inner,
            delta.innerCalls() / (double) CALLS, delta.costliestInner(), redisMicros - inner);
      }

      try (Jedis admin = b.redis.admin()) {
        admin.scriptFlush();
      }
      CommandStats before = b.commandStats();
      queue.stats(event);
      CommandStats first = b.commandStats().since(before);
      for (int i = 0; i < CALLS; i++) {
        queue.stats(event);
      }
      CommandStats rest = b.commandStats().since(before);
      boolean fallback = first.of("evalsha") == 1 && first.of("eval") == 1
          && rest.of("evalsha") == CALLS + 1 && rest.of("eval") == 1;
      allMet &= fallback;
      out.put("after_script_flush", Map.of("first_call", List.of(first.of("evalsha"), first.of("eval")),
          "next_calls_evalsha", rest.of("evalsha") - 1, "next_calls_eval", rest.of("eval") - 1, "met", fallback));
      Bench.print("after SCRIPT FLUSH: first call %d EVALSHA + %d EVAL (NOSCRIPT fallback), next %d calls %d EVALSHA "
          + "+ %d EVAL  %s", first.of("evalsha"), first.of("eval"), CALLS, rest.of("evalsha") - 1,
          rest.of("eval") - 1, Bench.verdict(fallback));
    }
    out.put("goal", "exactly one EVALSHA per call, no EVAL after warm-up");
    out.put("met", allMet);
    return out;
  }
}
