package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.QueueUnavailableException;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.internal.QueueRules;
import io.github.waitingqueue.internal.Ticket;
import io.github.waitingqueue.redis.RedisWaitingQueue.ScriptMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.Slowlog;

/**
 * Section 6 (issue 10, run only with {@code --only abandonment}): how long the library takes to evict the
 * users who stopped polling from a big line, under ordinary traffic and nothing else.
 *
 * <p>A line of 1,000,000 waiting users, 30% of them abandoned (never polled again). The other 70% are
 * alive, but polling 700,000 users every few seconds is more than this machine can send, so they are kept
 * alive the way their polls would: a ticket's last heartbeat window lives in the low 8 bits of its score
 * (score = seq * 256 + window, see common.lua), and once per heartbeat window (half the idle timeout) the
 * benchmark rewrites the live users' scores to the current window with pipelined {@code ZADD XX}, exactly
 * the write the library's heartbeat makes. The traffic that drives the sweeps is real library status calls
 * of random live users at a steady rate; every ordinary call sweeps at most every 250 ms, so the traffic
 * rate does not change how fast the line is swept, only that it is.
 *
 * <p>The line is loaded directly (pipelined ZADD of the scores the library's join would write, the
 * event's sequence and join counters, one join-time mark) into an event the library created with
 * {@code configure}; the loaded users' last heartbeat is the load's start. The clock is Redis TIME, so the
 * idle timeout is really waited for: 60 s (2 s with {@code --quick}). It stops by itself: when every
 * abandoned ticket is gone, or 5.5 minutes after the idle timeout passed.
 */
final class Abandonment {
  private static final double ABANDONED_SHARE = 0.3;
  private static final int THREADS = 8;
  private static final long GOAL_SECONDS = 300;
  private static final int BATCH = 1_000;

  private Abandonment() {}

  static Map<String, Object> run(Bench b) throws Exception {
    // -Dwq.abandonment.users and -Dwq.abandonment.idle-seconds override the line and the timeout, for trials
    long n = Long.getLong("wq.abandonment.users", b.options.quick ? 2_000 : 1_000_000);
    Duration idle = Duration.ofSeconds(Long.getLong("wq.abandonment.idle-seconds", b.options.quick ? 2 : 60));
    double rate = b.options.quick ? 500 : 5_000;
    long idleMs = idle.toMillis();
    long batch = QueueRules.sweepBatch(n, QueueRules.SWEEP_BATCH_MIN);
    double passSeconds = Math.ceil((double) n / batch) * QueueRules.SWEEP_INTERVAL_MS / 1000.0;
    b.header("abandonment", String.format("evicting %.0f%% abandoned of %,d waiting, idle timeout %d s, status traffic "
        + "%,.0f/s from live users", ABANDONED_SHARE * 100, n, idle.toSeconds(), rate));
    Bench.print("sweep batch %,d tickets every %d ms: one pass over the line takes about %.0f s", batch,
        QueueRules.SWEEP_INTERVAL_MS, passSeconds);
    // An admission rate below the traffic's reach (only the head is ready) and a ready grace of a day: only
    // idleness evicts here.
    EventSettings settings = Bench.SETTINGS.toBuilder().admissionRate(100).burst(100).idleTimeout(idle).build();
    String event = "abandonment";
    Map<String, Object> out = new LinkedHashMap<>();
    try (RedisClient client = b.redis.client(THREADS); Jedis admin = b.redis.admin()) {
      WaitingQueue queue = b.queue(client);
      queue.configure(event, settings);
      List<String> keys = b.record(ScriptMode.AUTO,
          q -> q.stats(event)).keys();
      String meta = keys.get(0);
      String line = keys.get(1);

      boolean[] abandoned = new boolean[(int) n];
      long abandonedCount = 0;
      for (int i = 0; i < n; i++) {
        abandoned[i] = Users.mix(i ^ 0x5EED) % 1000 < ABANDONED_SHARE * 1000;
        abandonedCount += abandoned[i] ? 1 : 0;
      }
      long loadStart = redisMillis(admin);
      long started = System.nanoTime();
      writeScores(admin, line, n, i -> true, QueueRules.window(idleMs, loadStart), false);
      admin.hset(meta, Map.of("seq", Long.toString(n), "joined", Long.toString(n)));
      admin.zadd(keys.get(3), 1, "1:" + loadStart / 1000);
      Bench.print("loaded %,d waiting (%,d to abandon) in %.1f s with pipelined ZADD", n, abandonedCount,
          (System.nanoTime() - started) / 1e9);
      if (queue.stats(event).waiting() != n) {
        throw new IllegalStateException("the loaded line does not hold " + n + " users");
      }

      AtomicBoolean stop = new AtomicBoolean();
      Refresher refresher = new Refresher(b, line, n, abandoned, idleMs, stop);
      Traffic traffic = new Traffic(b, queue, event, n, abandoned, rate, stop);
      // Calls slower than 1 ms are logged by Redis: the sweeps (4 a second) and the longest calls.
      admin.configSet("slowlog-log-slower-than", "1000");
      admin.configSet("slowlog-max-len", "100000");
      admin.slowlogReset();
      CommandStats before = b.commandStats();
      double cpuBefore = b.redisMainThreadCpuSeconds();
      long wallStart = System.nanoTime();
      refresher.start();
      traffic.start();

      long idlePassed = 0;
      long firstIdlePassed = 0;
      long stalls = 0;
      Set<Long> restarts = new TreeSet<>();
      long firstEviction = -1;
      long done = -1;
      long evicted = 0;
      long deadline = loadStart + idleMs * 3 / 2 + TimeUnit.SECONDS.toMillis(GOAL_SECONDS + 30);
      long nextPrint = 0;
      List<List<Long>> progress = new ArrayList<>();
      try {
        while (true) {
          Thread.sleep(b.options.quick ? 100 : 500);
          long now;
          try {
            now = redisMillis(admin);
          } catch (JedisConnectionException e) {
            stalls++; // Redis did not answer within the client's timeout: counted and reported
            admin.disconnect();
            admin.connect();
            continue;
          }
          // idleness counts from the load, or from later if the library took the load's silence for an outage
          long hbsince = Long.parseLong(admin.hget(meta, "hbsince"));
          idlePassed = Math.max(loadStart, hbsince) + idleMs;
          firstIdlePassed = firstIdlePassed == 0 ? idlePassed : firstIdlePassed;
          if (hbsince > loadStart) {
            restarts.add(hbsince); // the library saw a silence of the whole event and counts idleness again
          }
          evicted = Long.parseLong(Objects.requireNonNullElse(admin.hget(meta, "evicted"), "0"));
          if (evicted > 0 && firstEviction < 0) {
            firstEviction = now;
          }
          if (now >= nextPrint) {
            progress.add(List.of((now - idlePassed) / 1000, evicted));
            Bench.print("%+6.0f s after the idle timeout: %,d evicted, %,d waiting", (now - idlePassed) / 1000.0, evicted,
                admin.zcard(line));
            nextPrint = now + (b.options.quick ? 2_000 : 15_000);
          }
          if (evicted >= abandonedCount) {
            done = now;
            break;
          }
          if (now > deadline || traffic.failure.get() != null || refresher.failure.get() != null) {
            break;
          }
        }
      } finally {
        stop.set(true); // also when the loop fails: no thread may outlive the run
      }
      traffic.join();
      refresher.join();
      double wall = (System.nanoTime() - wallStart) / 1e9;
      CommandStats delta = b.commandStats().since(before);
      double busy = (b.redisMainThreadCpuSeconds() - cpuBefore) / wall;
      if (traffic.failure.get() != null || refresher.failure.get() != null) {
        throw new IllegalStateException("the abandonment run failed", traffic.failure.get() != null
            ? traffic.failure.get() : refresher.failure.get());
      }

      List<Slowlog> slow = admin.slowlogGet(100_000);
      long[] slowFcalls = slow.stream().filter(e -> e.getArgs().get(0).equalsIgnoreCase("fcall"))
          .mapToLong(Slowlog::getExecutionTime).sorted().toArray();
      long slowest = slowFcalls.length == 0 ? 0 : slowFcalls[slowFcalls.length - 1];
      long slowCalls = slowFcalls.length;
      long slowMicros = Arrays.stream(slowFcalls).sum();
      double slowMedian = slowFcalls.length == 0 ? 0 : slowFcalls[slowFcalls.length / 2] / 1000.0;
      double slowP90 = slowFcalls.length == 0 ? 0 : slowFcalls[(int) (slowFcalls.length * 0.9)] / 1000.0;
      admin.configSet("slowlog-log-slower-than", "10000");
      long[] missing = missing(admin, line, n, abandoned);
      boolean met = done > 0 && (done - idlePassed) / 1000.0 <= GOAL_SECONDS && missing[0] == 0
          && traffic.notFound.get() == 0;
      out.put("waiting", n);
      out.put("abandoned", abandonedCount);
      out.put("idle_timeout_s", idle.toSeconds());
      out.put("sweep_batch", batch);
      out.put("seconds_per_pass_expected", passSeconds);
      out.put("status_calls_per_s", rate);
      out.put("status_calls", traffic.calls.get());
      out.put("keep_alive", "live users' score windows rewritten by pipelined ZADD XX once per heartbeat window ("
          + idleMs / 2 / 1000.0 + " s): " + refresher.passes.get() + " passes, " + refresher.millis.get() + " ms in all");
      // a pass longer than a window would let live users go stale: the figures would not be the library's
      out.put("keep_alive_longest_pass_ms", refresher.longest.get());
      out.put("keep_alive_kept_up", refresher.longest.get() < idleMs / 2);
      out.put("seconds_to_evict", done > 0 ? (done - idlePassed) / 1000.0 : null);
      out.put("idleness_restarts", restarts.size());
      out.put("seconds_to_evict_from_first_idle_timeout", done > 0 ? (done - firstIdlePassed) / 1000.0 : null);
      out.put("first_eviction_after_idle_s", firstEviction > 0 ? (firstEviction - idlePassed) / 1000.0 : null);
      out.put("evicted", evicted);
      out.put("abandoned_left", missing[1]);
      out.put("live_wrongly_evicted", missing[0]);
      out.put("live_status_not_found", traffic.notFound.get());
      out.put("redis_usec_per_call", delta.microsPerCall("fcall"));
      out.put("fcalls", delta.of("fcall"));
      out.put("redis_main_thread_busy", busy);
      out.put("fcalls_over_1_ms", slowCalls);
      // the ordinary calls apart from the slow ones (the sweeps that evict, and calls hit by a stall)
      out.put("redis_usec_per_call_under_1_ms", (delta.micros("fcall") - slowMicros)
          / (double) Math.max(1, delta.of("fcall") - slowCalls));
      out.put("fcalls_over_1_ms_share_of_redis_time", slowMicros / (double) Math.max(1, delta.micros("fcall")));
      out.put("fcalls_over_1_ms_median_ms", slowMedian);
      out.put("fcalls_over_1_ms_p90_ms", slowP90);
      // the keep-alive's ZADD XX are outside any FCALL but counted with the commands FCALLs run
      out.put("costliest_commands", delta.costliestInner(6));
      out.put("slowest_fcall_ms", slowest / 1000.0);
      out.put("status_calls_unavailable", traffic.unavailable.get());
      out.put("monitor_timeouts", stalls);
      out.put("status_latency", Bench.percentiles(traffic.histogram()));
      out.put("progress_s_evicted", progress);
      out.put("goal", "every abandoned ticket evicted within 5 minutes after the idle timeout, no live one");
      out.put("met", met);
      Bench.print("%,d of %,d abandoned evicted, all of them %s after the idle timeout (first eviction %s); live users "
          + "evicted: %d, live status calls not found: %d   goal <= %d s: %s", evicted, abandonedCount,
          done > 0 ? String.format(Locale.ROOT, "%.1f s", (done - idlePassed) / 1000.0) : "NOT by the deadline",
          firstEviction > 0 ? String.format(Locale.ROOT, "%+.1f s", (firstEviction - idlePassed) / 1000.0)
              : "none", missing[0], traffic.notFound.get(), GOAL_SECONDS, Bench.verdict(met));
      if (!restarts.isEmpty()) {
        Bench.print("the library counted idleness again %d time(s) (a silence of the whole event longer than the outage"
            + " gap: the machine stalled the traffic); from the first idle timeout all were evicted after %.1f s",
            restarts.size(), (done - firstIdlePassed) / 1000.0);
      }
      Bench.print("meanwhile: %,d FCALL at %.1f us per call in Redis (sweeps included; Redis counts wall time, so a"
          + " busy machine inflates it), Redis main thread busy %.0f%%; status %s",
          delta.of("fcall"), delta.microsPerCall("fcall"), busy * 100, Bench.percentileLine(traffic.histogram()));
      Bench.print("FCALLs slower than 1 ms in Redis (SLOWLOG; the sweeps among them): %,d, median %.1f ms, p90 %.1f ms, "
          + "the slowest %.1f ms; calls that timed out (2 s): %d status, %d of the monitor's", slowCalls, slowMedian,
          slowP90, slowest / 1000.0, traffic.unavailable.get(), stalls);
      Bench.print("  they took %.0f%% of the FCALLs' time in Redis; the other calls %.1f us each", 100.0 * slowMicros
          / Math.max(1, delta.micros("fcall")), (delta.micros("fcall") - slowMicros) / (double) Math.max(1,
          delta.of("fcall") - slowCalls));
      slow.stream().sorted(Comparator.comparingLong(Slowlog::getExecutionTime)
          .reversed()).limit(3).forEach(e -> Bench.print("  slow: %.1f ms %s", e.getExecutionTime() / 1000.0,
          e.getArgs().subList(0, Math.min(2, e.getArgs().size()))));
      delta.costliestInner(6).forEach(c -> Bench.print("  %-16s %,10d calls %,12d us in all %8.2f us per call",
          c.get("command"), c.get("calls"), c.get("usec"), c.get("usec_per_call")));
      Bench.print("keep-alive: %d passes of ZADD XX over the live users, %,d ms in all, the longest %,d ms (a window is %,d"
          + " ms: %s)", refresher.passes.get(), refresher.millis.get(), refresher.longest.get(), idleMs / 2,
          refresher.longest.get() < idleMs / 2 ? "kept up" : "FELL BEHIND, live users may have gone stale");
    }
    return out;
  }

  /** Redis server time in ms: the clock the library's windows use. */
  static long redisMillis(Jedis jedis) {
    List<String> t = jedis.time();
    return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
  }

  /**
   * Writes the FIFO score (seq * 256 + window, sequence = index + 1) of the users {@code which} picks, in
   * pipelined ZADD of {@link #BATCH} users; {@code existing} adds XX, so that a user evicted meanwhile stays
   * evicted.
   */
  static void writeScores(Jedis jedis, String line, long n, LongPredicate which, long window,
      boolean existing) {
    Pipeline pipeline = jedis.pipelined();
    Map<String, Double> scores = new HashMap<>();
    for (long i = 0; i < n; i++) {
      if (which.test(i)) {
        scores.put(Users.id(i), (double) ((i + 1) * QueueRules.HB_SPAN + window));
      }
      if (scores.size() == BATCH || (i == n - 1 && !scores.isEmpty())) {
        if (existing) {
          pipeline.zadd(line, scores, ZAddParams.zAddParams().xx());
        } else {
          pipeline.zadd(line, scores);
        }
        scores = new HashMap<>();
      }
      if (i % 100_000 == 99_999) {
        pipeline.sync();
      }
    }
    pipeline.sync();
  }

  /** Counts live users missing from the line, and abandoned users still in it. */
  private static long[] missing(Jedis jedis, String line, long n, boolean[] abandoned) {
    long[] counts = new long[2];
    for (long start = 0; start < n; start += BATCH) {
      int size = (int) Math.min(BATCH, n - start);
      String[] members = new String[size];
      for (int j = 0; j < size; j++) {
        members[j] = Users.id(start + j);
      }
      List<Double> scores = jedis.zmscore(line, members);
      for (int j = 0; j < size; j++) {
        boolean gone = scores.get(j) == null;
        if (abandoned[(int) start + j]) {
          counts[1] += gone ? 0 : 1;
        } else {
          counts[0] += gone ? 1 : 0;
        }
      }
    }
    return counts;
  }

  /** Keeps the live users' heartbeats fresh: rewrites their score's window once per heartbeat window. */
  private static final class Refresher extends Thread {
    final AtomicLong passes = new AtomicLong();
    final AtomicLong millis = new AtomicLong();
    final AtomicLong longest = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Bench bench;
    private final String line;
    private final long n;
    private final boolean[] abandoned;
    private final long idleMs;
    private final AtomicBoolean stop;

    Refresher(Bench bench, String line, long n, boolean[] abandoned, long idleMs, AtomicBoolean stop) {
      super("keep-alive");
      setDaemon(true);
      this.bench = bench;
      this.line = line;
      this.n = n;
      this.abandoned = abandoned;
      this.idleMs = idleMs;
      this.stop = stop;
    }

    @Override
    public void run() {
      try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", bench.redis.port()),
          DefaultJedisClientConfig.builder().socketTimeoutMillis(30_000) // a long pipeline may wait
              .protocol(RedisProtocol.RESP2).build())) {
        long refreshed = QueueRules.window(idleMs, redisMillis(jedis));
        while (!stop.get()) {
          long window = QueueRules.window(idleMs, redisMillis(jedis));
          if (window != refreshed) {
            long start = System.nanoTime();
            writeScores(jedis, line, n, i -> !abandoned[(int) i], window, true);
            refreshed = window;
            passes.incrementAndGet();
            long took = (System.nanoTime() - start) / 1_000_000;
            millis.addAndGet(took);
            longest.accumulateAndGet(took, Math::max);
          }
          Thread.sleep(50);
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    }
  }

  /** Status calls of random live users at a steady rate, from {@link #THREADS} threads. */
  private static final class Traffic {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong notFound = new AtomicLong();
    final AtomicLong unavailable = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Histogram> histograms = new ArrayList<>();

    Traffic(Bench b, WaitingQueue queue, String event, long n, boolean[] abandoned, double rate, AtomicBoolean stop) {
      long periodNanos = (long) (THREADS * 1e9 / rate);
      for (int t = 0; t < THREADS; t++) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        histograms.add(h);
        threads.add(new Thread(() -> {
          try {
            long due = System.nanoTime();
            while (!stop.get()) {
              int i;
              do {
                i = ThreadLocalRandom.current().nextInt((int) n);
              } while (abandoned[i]);
              String token = b.tokens.waitingToken(new Ticket(event, Users.id(i), i + 1));
              long start = System.nanoTime();
              try {
                if (queue.status(token).state() == TicketState.NOT_FOUND) {
                  notFound.incrementAndGet();
                }
              } catch (QueueUnavailableException e) {
                unavailable.incrementAndGet(); // a timeout on an overloaded machine: counted, not a wrong answer
              }
              h.recordValue(Math.min((System.nanoTime() - start) / 1000, h.getHighestTrackableValue()));
              calls.incrementAndGet();
              due += periodNanos;
              long wait = due - System.nanoTime();
              if (wait > 0) {
                LockSupport.parkNanos(wait);
              }
            }
          } catch (Throwable e) {
            failure.set(e);
          }
        }, "abandonment-traffic-" + t));
        threads.get(t).setDaemon(true);
      }
    }

    void start() {
      threads.forEach(Thread::start);
    }

    void join() throws InterruptedException {
      for (Thread t : threads) {
        t.join();
      }
    }

    Histogram histogram() {
      Histogram all = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
      histograms.forEach(all::add);
      return all;
    }
  }
}
