package io.github.waitingqueue.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * Section 4: Redis memory per waiting user ({@code used_memory} after minus before, over the users
 * added) at 100,000 and 1,000,000 waiting users, for the library (its own join script, pipelined) and for
 * a replica of the origin design ({@link OriginReplica}), built in the same run with the same user ids
 * (36-character UUID text, {@link Users}).
 */
final class Memory {
  static final long[] SIZES = {100_000, 1_000_000};
  /** The 1M-user library event, kept for the scale section. */
  static final String LIBRARY_1M = "memory-library-1000000";
  private static final double GOAL_BYTES = 160;

  private Memory() {}

  static Map<String, Object> run(Bench b) throws Exception {
    b.header("memory", "Redis used_memory per waiting user, library vs origin design, user ids = UUID text");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user_ids", "version-4 UUID text, 36 characters");
    for (long full : SIZES) {
      long n = b.options.count(full);
      Map<String, Object> m = new LinkedHashMap<>();
      String event = "memory-library-" + full;
      ScriptCall join = b.joinCall(event); // recorded before the first reading, so only the line is counted
      double library = perUser(b, n, () -> b.load(event, n, join));
      double origin = perUser(b, n, () -> {
        try (Jedis jedis = b.redis.admin()) {
          OriginReplica.joinAll(jedis, "memory-origin-" + full, 0, n);
        }
      });
      boolean met = library <= GOAL_BYTES;
      m.put("users", n);
      m.put("library_bytes_per_user", library);
      m.put("origin_bytes_per_user", origin);
      m.put("origin_over_library", origin / library);
      if (full == 1_000_000) {
        m.put("goal", "library <= 160 bytes per user at 1,000,000");
        m.put("met", met);
      }
      Bench.print("%,9d waiting: library %6.1f bytes/user   origin design %7.1f bytes/user (%.1fx)%s", n, library,
          origin, origin / library, full == 1_000_000 ? "   goal <= 160: " + Bench.verdict(met) : "");
      out.put(Long.toString(full), m);
    }
    return out;
  }

  /** used_memory added by {@code fill}, per user. */
  private static double perUser(Bench b, long users, Runnable fill) {
    long before = b.usedMemory();
    fill.run();
    long after = b.usedMemory();
    return (after - before) / (double) users;
  }
}
