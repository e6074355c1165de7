package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.WaitingQueue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.RedisClient;

/**
 * Section 5: status latency with 10,000 waiting versus a big line in the same event shape: 1,000,000 by
 * default (the memory section's line when it ran), 10,000,000 with {@code --scale-10m}. One client
 * thread, one call at a time, random users of each line; the two lines are measured in alternating rounds
 * so that drift and noise fall on both. Redis's own time per FCALL (commandstats usec per call) is
 * reported too: it is the script's cost without the network and the client.
 */
final class Scale {
  private static final int ROUNDS = 10;
  private static final int CALLS_PER_ROUND = 3_000;
  private static final double GOAL_RATIO = 1.3;

  private Scale() {}

  static Map<String, Object> run(Bench b) throws Exception {
    long big = b.options.count(b.options.scale10m ? 10_000_000 : 1_000_000);
    long small = b.options.count(10_000);
    b.header("scale", String.format("status latency, %,d vs %,d waiting in one event, 1 client thread", small, big));
    String smallEvent = "scale-10000";
    b.load(smallEvent, small);
    Map<String, Object> out = new LinkedHashMap<>();
    try (RedisClient client = b.redis.client(1)) {
      WaitingQueue queue = b.queue(client);
      String bigEvent = bigLine(b, queue, big);
      Side smallSide = new Side(b, queue, smallEvent, small);
      Side bigSide = new Side(b, queue, bigEvent, big);
      int calls = b.options.quick ? 100 : CALLS_PER_ROUND;
      smallSide.measure(calls, null);
      bigSide.measure(calls, null); // warm-up
      for (int round = 0; round < ROUNDS; round++) {
        smallSide.measure(calls, smallSide.histogram);
        bigSide.measure(calls, bigSide.histogram);
      }
      double p50Small = smallSide.histogram.getValueAtPercentile(50);
      double p50Big = bigSide.histogram.getValueAtPercentile(50);
      double ratio = p50Big / p50Small;
      out.put(Long.toString(small), smallSide.report(small));
      out.put(Long.toString(big), bigSide.report(big));
      out.put("p50_ratio", ratio);
      out.put("redis_usec_per_call_ratio", bigSide.redisMicros() / smallSide.redisMicros());
      out.put("goal", "p50 at the big line within 1.3 x p50 at 10,000");
      out.put("met", ratio <= GOAL_RATIO);
      Bench.print("p50 ratio %,d / %,d: %.2f   goal <= %.1f: %s   (Redis time per call ratio %.2f)", big, small,
          ratio, GOAL_RATIO, Bench.verdict(ratio <= GOAL_RATIO), bigSide.redisMicros() / smallSide.redisMicros());
    }
    return out;
  }

  /** The memory section's 1M line when it is there untouched, else a new line of that size. */
  private static String bigLine(Bench b, WaitingQueue queue, long size) {
    if (size == 1_000_000 && queue.stats(Memory.LIBRARY_1M).waiting() == size) {
      return Memory.LIBRARY_1M;
    }
    String event = "scale-big-" + size; // never the small line's name, whatever --quick makes the sizes
    long started = System.nanoTime();
    b.load(event, size);
    Bench.print("loaded %,d waiting users into %s in %.0f s (pipelined library joins)", size, event,
        (System.nanoTime() - started) / 1e9);
    return event;
  }

  /** One line under measurement. */
  private static final class Side {
    final Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    private final Bench bench;
    private final WaitingQueue queue;
    private final String event;
    private final long size;
    private long redisCalls;
    private long redisMicros;
    private long next = 12345;

    Side(Bench bench, WaitingQueue queue, String event, long size) {
      this.bench = bench;
      this.queue = queue;
      this.event = event;
      this.size = size;
    }

    void measure(int calls, Histogram into) {
      CommandStats before = bench.commandStats();
      for (int i = 0; i < calls; i++) {
        String token = bench.loadedToken(event, Users.mix(next++) % size);
        long start = System.nanoTime();
        TicketState state = queue.status(token).state();
        long micros = (System.nanoTime() - start) / 1000;
        if (state == TicketState.NOT_FOUND) {
          throw new IllegalStateException("status did not find a loaded user of " + event);
        }
        if (into != null) {
          into.recordValue(micros);
        }
      }
      if (into != null) {
        CommandStats delta = bench.commandStats().since(before);
        redisCalls += delta.of("fcall");
        redisMicros += delta.micros("fcall");
      }
    }

    double redisMicros() {
      return redisMicros / (double) redisCalls;
    }

    Map<String, Object> report(long waiting) {
      Map<String, Object> m = Bench.percentiles(histogram);
      m.put("waiting", waiting);
      m.put("redis_usec_per_fcall", redisMicros());
      Bench.print("%,11d waiting: %s   Redis %.1f us per FCALL", waiting, Bench.percentileLine(histogram),
          redisMicros());
      return m;
    }
  }
}
