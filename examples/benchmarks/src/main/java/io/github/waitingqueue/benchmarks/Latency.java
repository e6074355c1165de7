package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.WaitingQueue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.RedisClient;

/**
 * Section 2: latency per operation under a fixed offered load of a mixed workload (80% status, 10% join,
 * 5% enter, 5% leave), measured from each call's scheduled start ({@link OpenLoop}). First at 30,000 calls
 * per second (three runs; the median one by p99 is reported, all three are listed), then at rising loads
 * in steps of 5,000 until the machine no longer keeps the schedule, or down in steps of 5,000 when it did
 * not keep 30,000 (a step that fails gets a second try);
 * the highest load it kept is reported with its percentiles.
 *
 * <p>The line is loaded first with {@link #LINE} waiting users. status asks for a random user of the
 * middle half; enter admits from the head, leave takes from the tail, join adds new users at the end.
 */
final class Latency {
  static final String[] OPS = {"status", "join", "enter", "leave"};
  private static final int WORKERS = 64;
  private static final long LINE = 600_000;
  private static final double GOAL_RATE = 30_000;
  private static final int ATTEMPTS = 3;

  private Latency() {}

  static Map<String, Object> run(Bench b) throws Exception {
    long line = b.options.quick ? 20_000 : LINE;
    double seconds = b.options.quick ? 0.5 : 6;
    b.header("latency", "mixed 80% status / 10% join / 5% enter / 5% leave at a fixed offered load, "
        + "latency from the scheduled start, " + WORKERS + " worker threads");
    String event = "latency";
    b.load(event, line);
    String[] tokens = new String[(int) line];
    for (int i = 0; i < line; i++) {
      tokens[i] = b.loadedToken(event, i);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("workers", WORKERS);
    out.put("waiting_at_start", line);
    try (RedisClient client = b.redis.client(WORKERS)) {
      Mix mix = new Mix(b.queue(client), event, tokens);
      mix.check();
      OpenLoop.run(GOAL_RATE, (long) (GOAL_RATE * seconds / 3), WORKERS, OPS.length, mix::call); // warm-up
      List<OpenLoop.Result> attempts = new ArrayList<>();
      for (int a = 0; a < ATTEMPTS; a++) {
        attempts.add(OpenLoop.run(GOAL_RATE, (long) (GOAL_RATE * seconds), WORKERS, OPS.length, mix::call));
        Bench.print("30,000/s attempt %d: p99 of all calls %.3f ms, completed %,.0f/s", a + 1,
            p99(attempts.get(a)), attempts.get(a).completed());
      }
      // The median attempt by p99: one run disturbed by another process on the machine neither sinks nor
      // makes the figure.
      List<OpenLoop.Result> sorted = new ArrayList<>(attempts);
      sorted.sort(java.util.Comparator.comparingDouble(Latency::p99));
      OpenLoop.Result at30k = sorted.get(sorted.size() / 2);
      Bench.print("median attempt:");
      Map<String, Object> first = report(at30k);
      boolean met = at30k.held() && allP99Below(at30k, 5.0);
      first.put("attempts_p99_ms", attempts.stream().map(Latency::p99).toList());
      first.put("goal", "p99 < 5 ms for every operation");
      first.put("met", met);
      Bench.print("goal p99 < 5 ms at 30,000/s: %s", Bench.verdict(met));
      out.put("at_30000", first);

      // Up from 30,000 in steps of 5,000 while the schedule holds; down in steps of 5,000 when 30,000 did not.
      OpenLoop.Result highest = at30k.held() ? at30k : null;
      List<Map<String, Object>> steps = new ArrayList<>();
      double step = at30k.held() ? 5_000 : -5_000;
      for (double rate = GOAL_RATE + step; rate >= 5_000 && rate <= 200_000 && mix.hasRoom(rate * seconds);
          rate += step) {
        OpenLoop.Result r = OpenLoop.run(rate, (long) (rate * seconds / 2), WORKERS, OPS.length, mix::call);
        if (!r.held() && mix.hasRoom(rate * seconds)) {
          r = OpenLoop.run(rate, (long) (rate * seconds / 2), WORKERS, OPS.length, mix::call); // noise gets a 2nd try
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("offered_per_s", Math.round(rate));
        s.put("completed_per_s", Math.round(r.completed()));
        s.put("held", r.held());
        steps.add(s);
        Bench.print("step %,.0f/s offered: completed %,.0f/s, %s", rate, r.completed(), r.held() ? "held" : "not held");
        if (step > 0 && !r.held()) {
          break;
        }
        if (r.held()) {
          highest = r;
          if (step < 0) {
            break;
          }
        }
      }
      out.put("steps", steps);
      if (highest != null) {
        Bench.print("highest load held:");
        out.put("highest_held", report(highest));
      }
    }
    return out;
  }

  private static double p99(OpenLoop.Result r) {
    Histogram all = new Histogram(3);
    r.histograms().forEach(all::add);
    return all.getValueAtPercentile(99) / 1000.0;
  }

  private static boolean allP99Below(OpenLoop.Result r, double millis) {
    return r.histograms().stream().allMatch(h -> h.getTotalCount() == 0 || h.getValueAtPercentile(99) / 1000.0 < millis);
  }

  private static Map<String, Object> report(OpenLoop.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("offered_per_s", Math.round(r.offered()));
    m.put("completed_per_s", Math.round(r.completed()));
    Bench.print("offered %,.0f/s, completed %,.0f/s", r.offered(), r.completed());
    Histogram all = new Histogram(3);
    for (int o = 0; o < OPS.length; o++) {
      Histogram h = r.histograms().get(o);
      all.add(h);
      m.put(OPS[o], Bench.percentiles(h));
      Bench.print("  %-6s %s", OPS[o], Bench.percentileLine(h));
    }
    m.put("all", Bench.percentiles(all));
    Bench.print("  %-6s %s", "all", Bench.percentileLine(all));
    return m;
  }

  /** The mixed workload over one loaded line. */
  private static final class Mix {
    private final WaitingQueue queue;
    private final String event;
    private final String[] tokens;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail;
    private final AtomicLong newUsers = new AtomicLong(1L << 40);

    Mix(WaitingQueue queue, String event, String[] tokens) {
      this.queue = queue;
      this.event = event;
      this.tokens = tokens;
      this.tail = new AtomicLong(tokens.length - 1);
    }

    /** The loaded line is what the tokens say: first and last user at their positions. */
    void check() {
      long last = tokens.length;
      if (queue.status(tokens[0]).position() != 1 || queue.status(tokens[(int) last - 1]).position() != last) {
        throw new IllegalStateException("the loaded line does not match the tokens");
      }
    }

    /** Whether a run of {@code calls} more calls still finds users to admit and to remove outside the middle. */
    boolean hasRoom(double calls) {
      long quarter = tokens.length / 4;
      return head.get() + calls * 0.05 < quarter && tail.get() - calls * 0.05 > 3 * quarter;
    }

    int call(long i) {
      int pick = (int) (Users.mix(i) % 100);
      if (pick < 80) {
        int quarter = tokens.length / 4;
        int index = quarter + (int) (Users.mix(i + 7) % (2L * quarter));
        check(queue.status(tokens[index]).state() != TicketState.NOT_FOUND, "status");
        return 0;
      }
      if (pick < 90) {
        queue.join(event, Users.id(newUsers.getAndIncrement()));
        return 1;
      }
      if (pick < 95) {
        queue.enter(tokens[(int) head.getAndIncrement()]);
        return 2;
      }
      queue.leave(tokens[(int) tail.getAndDecrement()]);
      return 3;
    }

    private static void check(boolean ok, String what) {
      if (!ok) {
        throw new IllegalStateException(what + " did not find a waiting user");
      }
    }
  }
}
