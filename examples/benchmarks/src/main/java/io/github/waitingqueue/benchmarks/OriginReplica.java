package io.github.waitingqueue.benchmarks;

import java.util.Map;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;

/**
 * A replica of the origin gateway's queue state, as the design brief describes it, to measure its Redis
 * memory in the same run: per waiting user a Stream of their queue events (one entry: the join), a member
 * of the event's sorted set scored by the join second, and a key per waiting token holding the token's
 * JSON. Tokens are random UUIDs, as the gateway's were opaque ids.
 */
final class OriginReplica {
  private static final int BATCH = 2_000;

  private OriginReplica() {}

  /** The keys a user adds, for one event: stream, the shared sorted set, token key. */
  static String streamKey(String eventId, String userId) {
    return "origin:queue:" + eventId + ":user:" + userId;
  }

  static String waitingKey(String eventId) {
    return "origin:queue:" + eventId + ":waiting";
  }

  static String tokenKey(String token) {
    return "origin:token:" + token;
  }

  /** Joins users {@code from} to {@code from + count - 1} the origin's way, pipelined. */
  static void joinAll(Jedis jedis, String eventId, long from, long count) {
    long now = System.currentTimeMillis() / 1000;
    for (long start = from; start < from + count; start += BATCH) {
      long end = Math.min(from + count, start + BATCH);
      Pipeline p = jedis.pipelined();
      for (long i = start; i < end; i++) {
        String user = Users.id(i);
        String token = new UUID(i, ~i).toString();
        p.xadd(streamKey(eventId, user), XAddParams.xAddParams(), Map.of("event_id", eventId, "user_id", user,
            "token", token, "joined_at", Long.toString(now)));
        p.zadd(waitingKey(eventId), now, user);
        p.set(tokenKey(token), "{\"event_id\":\"" + eventId + "\",\"user_id\":\"" + user + "\",\"joined_at\":" + now
            + ",\"status\":\"waiting\"}", SetParams.setParams().ex(3600));
      }
      p.sync();
    }
  }
}
