package io.github.waitingqueue.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import io.github.waitingqueue.WaitingQueue;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * Section 4: Redis memory per waiting user ({@code used_memory} after minus before, over the users
 * added) at 100,000 and 1,000,000 waiting users, for the library (its own join script, pipelined) and for
 * a replica of the origin design ({@link OriginReplica}), built in the same run with the same user ids
 * (36-character UUID text, {@link Users}). Then the long-lived case: 1,000,000 waiting in an event that
 * has already issued {@link #LIFETIME_JOINS} sequence numbers, so every score is about 2.6 * 10^11; memory
 * must follow the people waiting, not the event's lifetime.
 */
final class Memory {
  static final long[] SIZES = {100_000, 1_000_000};
  /** The 1M-user library event, kept for the scale section. */
  static final String LIBRARY_1M = "memory-library-1000000";
  private static final double GOAL_BYTES = 160;
  /** Joins the long-lived event has seen before the measured line joins. */
  static final long LIFETIME_JOINS = 1_000_000_000L;

  private Memory() {}

  @SuppressWarnings("unchecked")
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
    longLived(b, out);
    Map<String, Object> longLived = (Map<String, Object>) out.get("long_lived_1000000");
    double young = (Double) ((Map<String, Object>) out.get("1000000")).get("library_bytes_per_user");
    longLived.put("young_event_bytes_per_user", young);
    out.put("young_bytes_per_user", young);
    Bench.print("long-lived %.1f bytes/user, young %.1f bytes/user (the same 1,000,000 users)",
        out.get("long_lived_bytes_per_user"), young);
    return out;
  }

  /**
   * The 1M line again, in an event whose sequence is already at {@link #LIFETIME_JOINS}, in a redis-server of
   * its own: measured in the main server after the origin replica's 2,000,000 keys, the keyspace's incremental
   * rehash freed its old 16.8 MB table during the load and the line read 16.8 bytes per user too light.
   */
  private static void longLived(Bench main, Map<String, Object> out) throws Exception {
    try (LocalRedis fresh = LocalRedis.start(main.cpus)) {
      loadLongLived(new Bench(fresh, main.cpus, main.options, main.environment), out);
    }
  }

  private static void loadLongLived(Bench b, Map<String, Object> out) {
    long full = 1_000_000;
    long n = b.options.count(full);
    String event = "memory-long-lived-" + full;
    ScriptCall join = b.joinCall(event);
    // The event as after 10^9 joins: created by a library join whose ticket then leaves, its sequence set.
    try (RedisClient client = b.redis.client(1)) {
      WaitingQueue queue = b.queue(client);
      queue.leave(queue.join(event, Bench.PLACEHOLDER_USER).waitingToken());
    }
    try (Jedis jedis = b.redis.admin()) {
      jedis.hset(join.keys().get(0), "seq", Long.toString(LIFETIME_JOINS));
    }
    double library = perUser(b, n, () -> b.load(event, n, join));
    try (Jedis jedis = b.redis.admin()) {
      double firstScore = jedis.zscore(join.keys().get(1), Users.id(0));
      if (firstScore < LIFETIME_JOINS * 256.0) {
        throw new IllegalStateException("the long-lived line did not get sequence numbers above " + LIFETIME_JOINS);
      }
    }
    boolean met = library <= GOAL_BYTES;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("users", n);
    m.put("first_sequence", LIFETIME_JOINS + 1);
    m.put("library_bytes_per_user", library);
    m.put("redis_server", "a fresh one, like the young line's (the first big line in its server)");
    m.put("goal", "library <= 160 bytes per user at 1,000,000 after 10^9 lifetime joins, as in a young event");
    m.put("met", met);
    out.put("long_lived_" + full, m);
    out.put("long_lived_bytes_per_user", library);
    Bench.print("%,9d waiting after %,d lifetime joins: library %6.1f bytes/user   goal <= 160: %s", n,
        LIFETIME_JOINS, library, Bench.verdict(met));
  }

  /** used_memory added by {@code fill}, per user. */
  private static double perUser(Bench b, long users, Runnable fill) {
    long before = b.usedMemory();
    fill.run();
    long after = b.usedMemory();
    return (after - before) / (double) users;
  }
}
