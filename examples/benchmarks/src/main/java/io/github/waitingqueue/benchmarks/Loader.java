package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.JoinOutcome;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Fills an event's line fast with the library's own join, pipelined: the same FCALL (or EVALSHA) with the
 * same KEYS and ARGV the library sends, only many in flight on one connection. So the line holds exactly
 * the structures real joins build, and user {@code i} of a fresh event gets sequence {@code first + i}.
 */
final class Loader {
  private static final int BATCH = 2_000;

  private Loader() {}

  /**
   * Joins users {@code from} to {@code from + count - 1} (ids from {@link Users#id}) in that order.
   *
   * @param join the library's join call for the event, with {@code placeholder} as its user id
   * @return how many were new joins (the rest were already waiting)
   */
  static long joinAll(Jedis jedis, ScriptCall join, String placeholder, long from, long count) {
    int userArg = join.args().indexOf(placeholder);
    if (userArg < 0) {
      throw new IllegalStateException("the join call " + join.args() + " does not carry the user id " + placeholder);
    }
    long joined = 0;
    List<String> args = new ArrayList<>(join.args());
    for (long start = from; start < from + count; start += BATCH) {
      long end = Math.min(from + count, start + BATCH);
      Pipeline pipeline = jedis.pipelined();
      List<Response<Object>> replies = new ArrayList<>(BATCH);
      for (long i = start; i < end; i++) {
        args.set(userArg, Users.id(i));
        replies.add(join.send(pipeline, args));
      }
      pipeline.sync();
      for (Response<Object> reply : replies) {
        // the reply's first element is the outcome's code, the ordinal the library generates its constants from
        if (((List<?>) reply.get()).get(0).equals((long) JoinOutcome.JOINED.ordinal())) {
          joined++;
        }
      }
    }
    return joined;
  }
}
