package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.internal.QueueRules;
import io.github.waitingqueue.internal.Ticket;
import io.github.waitingqueue.redis.RedisWaitingQueue;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.resps.Slowlog;

/**
 * The line mirror (issue 11, run only with {@code --only mirror}): status calls of far-back tickets of one
 * event of 1,000,000 waiting (10,000,000 with {@code --scale-10m}), answered by N queue objects with
 * {@code lineMirror(1 s)}, each on its own client, as several JVMs would be: the JVM's status calls per CPU
 * second, Redis's CPU per status call, the mirrors' heap per waiting user, how long a fresh mirror takes to
 * answer, the worst staleness observed, and the same tickets' Redis cost without the mirror. Then the
 * library's own catch-up call priced alone (empty, and with batches of heartbeats), for the load model.
 *
 * <p>The line is loaded directly, as the abandonment section loads it (pipelined ZADD of the scores the
 * library's join writes, the meta {@code seq} and {@code joined} counters, one join-time mark) into an event
 * the library created; tokens carry the event's incarnation ({@code inc}) and the load's second, as tokens
 * from {@code join} do (a token without an incarnation is never answered by the mirror).
 */
final class Mirror {
  /** The staleness bound the queue objects are built with. */
  static final Duration BOUND = Duration.ofSeconds(1);
  /** Admission rate and burst of the event: only the head is ready, the mirror answers beyond ~210. */
  static final int RATE = 100;
  /** Distinct tokens the workers draw from (all from the back 90% of the line, even indexes only). */
  static final int POOL = 200_000;

  private Mirror() {}

  static Map<String, Object> run(Bench b) throws Exception {
    long n = b.options.quick ? 20_000 : b.options.scale10m ? 10_000_000 : 1_000_000;
    int instances = Integer.getInteger("wq.mirror.instances", 2);
    int threads = Integer.getInteger("wq.mirror.threads", 2 * instances);
    long seconds = Long.getLong("wq.mirror.seconds", b.options.quick ? 2 : 20);
    long warmup = b.options.quick ? 1 : 5;
    b.header("mirror", String.format("status of far-back tickets of %,d waiting from %d queue objects with lineMirror(%d"
        + " s), %d threads, %d s after %d s of warm-up; then without the mirror", n, instances, BOUND.toSeconds(),
        threads, seconds, warmup));
    EventSettings settings = Bench.SETTINGS.toBuilder().admissionRate(RATE).burst(RATE).build();
    String event = "mirror";
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("waiting", n);
    out.put("queue_objects", instances);
    out.put("threads", threads);
    out.put("staleness_bound_ms", BOUND.toMillis());
    out.put("admission_rate", RATE);
    out.put("seconds", seconds);
    try (RedisClient setupClient = b.redis.client(2); Jedis admin = b.redis.admin()) {
      RedisWaitingQueue setup = b.queue(setupClient);
      setup.configure(event, settings);
      List<String> keys = setup.keysOf(event);
      long loadStart = Abandonment.redisMillis(admin);
      long started = System.nanoTime();
      Abandonment.writeScores(admin, keys.get(1), n, i -> true,
          QueueRules.window(settings.idleTimeout().toMillis(), loadStart), false);
      admin.hset(keys.get(0), Map.of("seq", Long.toString(n), "joined", Long.toString(n)));
      admin.zadd(keys.get(3), 1, "1:" + loadStart / 1000);
      long incarnation = Long.parseLong(admin.hget(keys.get(0), "inc"));
      Bench.print("loaded %,d waiting in %.1f s with pipelined ZADD; incarnation %d", n,
          (System.nanoTime() - started) / 1e9, incarnation);
      if (setup.stats(event).waiting() != n) {
        throw new IllegalStateException("the loaded line does not hold " + n + " users");
      }
      Tickets tickets = new Tickets(b, event, n, loadStart / 1000, incarnation);
      TicketStatus check = setup.status(tickets.token(n - 2));
      if (check.state() != TicketState.WAITING || check.position() != n - 1) {
        throw new IllegalStateException("a loaded ticket's status is " + check + ", not WAITING at " + (n - 1));
      }
      String[] pool = tickets.pool((int) Math.min(POOL, n / 4));

      // heap and bootstrap: each fresh queue object polls until its mirror answers
      long heapBefore = usedHeapAfterGc();
      List<RedisClient> clients = new ArrayList<>();
      List<RedisWaitingQueue> mirrored = new ArrayList<>();
      List<Long> bootstrapMs = new ArrayList<>();
      for (int k = 0; k < instances; k++) {
        RedisClient client = b.redis.client(threads / instances + 2);
        clients.add(client);
        RedisWaitingQueue q = RedisWaitingQueue.builder(client).config(b.config).lineMirror(BOUND).build();
        mirrored.add(q);
        long t0 = System.nanoTime();
        while (q.mirroredStatusCount() == 0) {
          q.status(pool[ThreadLocalRandom.current().nextInt(pool.length)]);
          if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(5)) {
            throw new IllegalStateException("the mirror of queue object " + k + " did not answer within 5 minutes");
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        bootstrapMs.add((System.nanoTime() - t0) / 1_000_000);
      }
      long heapAfter = usedHeapAfterGc();
      double heapPerWaiting = (heapAfter - heapBefore) / (double) n / instances;
      Bench.print("bootstrap (first status call until the mirror answers, polling every ms): %s ms; mirrors' heap %.2f"
          + " bytes per waiting user per queue object (used heap after full GC, %,d -> %,d bytes)   goal <= 16: %s",
          bootstrapMs, heapPerWaiting, heapBefore, heapAfter, Bench.verdict(heapPerWaiting <= 16));

      // the mirrored run, then the worst staleness while the same load goes on
      Workers workers = new Workers(mirrored, pool, threads);
      workers.start();
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
      Window w = Window.measure(b, workers, () -> Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)),
          () -> mirrored.stream().mapToLong(RedisWaitingQueue::mirroredStatusCount).sum());
      long mirroredCount = w.mirrored;
      Staleness staleness = Staleness.measure(setup, mirrored.get(0), tickets, n, b.options.quick ? 5 : 30);
      workers.stop();
      long heapLoaded = usedHeapAfterGc();
      for (int k = 0; k < instances; k++) {
        mirrored.get(k).close();
        clients.get(k).close();
      }
      double perCore = w.calls / w.jvmCpuSeconds;
      double redisUsec = w.redisCpuSeconds * 1e6 / w.calls;
      double topUsec = w.topLevelMicros / (double) w.calls;
      out.put("status_per_s", Math.round(w.calls / w.wallSeconds));
      out.put("status_per_s_per_core", Math.round(perCore));
      out.put("status_per_s_per_core_goal", 200_000);
      out.put("status_per_s_per_core_met", perCore >= 200_000);
      out.put("jvm_cores_used", w.jvmCpuSeconds / w.wallSeconds);
      out.put("status_calls", w.calls);
      out.put("mirrored_share", mirroredCount / (double) w.calls);
      out.put("wrong_states", workers.wrong.sum());
      out.put("redis_usec_per_status", redisUsec);
      out.put("redis_usec_per_status_goal", 1);
      out.put("redis_usec_per_status_met", redisUsec <= 1);
      out.put("redis_usec_per_status_commandstats", topUsec);
      out.put("redis_main_thread_usec_per_status", w.redisMainCpuSeconds * 1e6 / w.calls);
      out.put("redis_busy", w.redisCpuSeconds / w.wallSeconds);
      out.put("fcalls_per_s", w.stats.of("fcall") / w.wallSeconds);
      out.put("redis_usec_per_fcall", w.stats.microsPerCall("fcall"));
      out.put("heartbeat_zscores_per_s", w.stats.of("zscore") / w.wallSeconds);
      out.put("costliest_commands", w.stats.costliestInner(5));
      out.put("heap_bytes_per_waiting", heapPerWaiting);
      out.put("heap_bytes_per_waiting_goal", 16);
      out.put("heap_bytes_per_waiting_met", heapPerWaiting <= 16);
      out.put("heap_bytes_after_run_per_waiting", (heapLoaded - heapBefore) / (double) n / instances);
      out.put("bootstrap_ms", bootstrapMs.stream().mapToLong(Long::longValue).max().orElse(0));
      out.put("bootstrap_ms_each", bootstrapMs);
      out.put("max_staleness_ms", staleness.maxMs());
      out.put("median_staleness_ms", staleness.medianMs());
      out.put("max_propagation_ms", staleness.maxPropagationMs());
      out.put("median_propagation_ms", staleness.propagationMs[staleness.propagationMs.length / 2]);
      out.put("staleness_probes", staleness.ms.length);
      out.put("staleness_measured", "a ticket ahead of a probe leaves (plain queue object, no mirror) while the run's"
          + " load goes on; staleness: the start of the last mirrored status call still showing the old position minus"
          + " the leave's end; propagation: the leave's start to the end of the first call showing the new one");
      Bench.print("mirrored: %,.0f status/s from %d threads, %.2f JVM cores -> %,.0f status/s per core   goal >= 200,000:"
          + " %s (mirrored %.1f%%, wrong states %d)", w.calls / w.wallSeconds, threads, w.jvmCpuSeconds / w.wallSeconds,
          perCore, Bench.verdict(perCore >= 200_000), 100.0 * mirroredCount / w.calls, workers.wrong.sum());
      Bench.print("Redis CPU per status %.3f us (INFO cpu, busy %.1f%%), %.3f us (commandstats, top-level commands); "
          + "%.1f FCALL/s at %.1f us; %,.0f heartbeat ZSCORE/s   goal <= 1 us: %s", redisUsec,
          100 * w.redisCpuSeconds / w.wallSeconds, topUsec, w.stats.of("fcall") / w.wallSeconds,
          w.stats.microsPerCall("fcall"), w.stats.of("zscore") / w.wallSeconds, Bench.verdict(redisUsec <= 1));
      Bench.print("staleness under that load: max %d ms, median %d ms over %d probes (bound %d ms); propagation max %d ms,"
          + " median %d ms; heap after the run (pending heartbeats too) %.2f bytes per waiting per object",
          staleness.maxMs(), staleness.medianMs(), staleness.ms.length, BOUND.toMillis(), staleness.maxPropagationMs(),
          staleness.propagationMs[staleness.propagationMs.length / 2], (heapLoaded - heapBefore) / (double) n / instances);

      // the same tickets without the mirror
      int directThreads = b.options.clients;
      try (RedisClient client = b.redis.client(directThreads)) {
        RedisWaitingQueue direct = b.queue(client);
        Workers dw = new Workers(List.of(direct), pool, directThreads);
        dw.start();
        Thread.sleep(TimeUnit.SECONDS.toMillis(b.options.quick ? 1 : 2));
        Window d = Window.measure(b, dw, () -> Thread.sleep(TimeUnit.SECONDS.toMillis(Math.max(1, seconds / 2))),
            direct::mirroredStatusCount);
        dw.stop();
        double directUsec = d.redisCpuSeconds * 1e6 / d.calls;
        out.put("direct_threads", directThreads);
        out.put("direct_status_per_s", Math.round(d.calls / d.wallSeconds));
        out.put("direct_status_per_s_per_core", Math.round(d.calls / d.jvmCpuSeconds));
        out.put("direct_redis_usec_per_status", directUsec);
        out.put("direct_redis_usec_per_status_commandstats", d.topLevelMicros / (double) d.calls);
        out.put("direct_redis_usec_per_fcall", d.stats.microsPerCall("fcall"));
        out.put("direct_redis_busy", d.redisCpuSeconds / d.wallSeconds);
        out.put("direct_wrong_states", dw.wrong.sum());
        Bench.print("without the mirror (%d threads): %,.0f status/s, %,.0f per JVM core; Redis CPU per status %.2f us "
            + "(INFO cpu, busy %.0f%%), %.2f us (commandstats), FCALL %.2f us", directThreads, d.calls / d.wallSeconds,
            d.calls / d.jvmCpuSeconds, directUsec, 100 * d.redisCpuSeconds / d.wallSeconds,
            d.topLevelMicros / (double) d.calls, d.stats.microsPerCall("fcall"));
      }
      Map<String, Object> catchUp = CatchUp.price(b, event, tickets, n);
      out.put("catch_up", catchUp);
      out.put("load_model", model((double) out.get("direct_redis_usec_per_status"), catchUp));
    }
    return out;
  }

  /**
   * The load model of docs/BENCHMARKS.md with this run's costs: 10,000,000 waiting in one event, 10 instances,
   * 1,000 admissions a second (allowance 1,000), the default idle timeout (3 minutes), pacing followed.
   */
  static Map<String, Object> model(double statusUsec, Map<String, Object> catchUp) {
    long waiting = 10_000_000;
    int instances = 10;
    double rate = 1_000;
    long allowance = 1_000;
    long idleMs = 180_000;
    long redisUpTo = LoadModel.redisUpTo(allowance, rate, BOUND.toMillis() / 1000.0);
    LoadModel.Traffic t = LoadModel.traffic(waiting, allowance, rate, idleMs, redisUpTo, instances);
    double catchUps = instances * 1000.0 / 250;
    // FIFO tickets' heartbeats travel as scores, applied with ZADD XX GT (500 a command); a pre-queue's would
    // cost what a ZSCORE (+ ZADD) each does: the model is of a line after its pre-queue has gone in
    double heartbeatCpu = t.heartbeats() * (double) catchUp.get("cpu_usec_per_heartbeat_zadd_gt");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("waiting", waiting);
    m.put("instances", instances);
    m.put("admission_rate", rate);
    m.put("idle_timeout_ms", idleMs);
    m.put("redis_up_to_position", redisUpTo);
    m.put("polls_per_s_paced", t.polls());
    m.put("redis_polls_per_s_with_mirror", t.redisPolls());
    m.put("heartbeats_per_s", t.heartbeats());
    m.put("heartbeat_flush_capacity_per_s", catchUps * QueueRules.HEARTBEAT_BATCH);
    m.put("redis_cpu_s_per_s_every_second_no_mirror", waiting * statusUsec / 1e6);
    m.put("redis_cpu_s_per_s_paced_no_mirror", t.polls() * statusUsec / 1e6);
    m.put("redis_cpu_s_per_s_paced_mirror", (t.redisPolls() * statusUsec + catchUps * (double) catchUp.get("usec_empty")
        + heartbeatCpu) / 1e6);
    Bench.print("load model (10M waiting, 10 instances, 1,000 admitted/s, idle 3 min, this run's costs): %,.0f polls/s "
        + "paced, %,.0f of them near the head; %,.0f heartbeats/s (flush capacity %,.0f/s); Redis CPU s/s: %.1f every "
        + "second, %.2f paced, %.2f paced with the mirror", t.polls(), t.redisPolls(), t.heartbeats(),
        catchUps * QueueRules.HEARTBEAT_BATCH, waiting * statusUsec / 1e6, t.polls() * statusUsec / 1e6,
        (double) m.get("redis_cpu_s_per_s_paced_mirror"));
    return m;
  }

  /** The heap in use after two full collections. */
  static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 2; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The CPU time of this whole JVM (every thread: workers, mirror refresh, GC, JIT), in seconds. */
  static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  /** The waiting tokens of the loaded line, as the library's join would have issued them. */
  static final class Tickets {
    private final Bench b;
    private final String event;
    private final long n;
    private final long joinedSecond;
    private final long incarnation;

    Tickets(Bench b, String event, long n, long joinedSecond, long incarnation) {
      this.b = b;
      this.event = event;
      this.n = n;
      this.joinedSecond = joinedSecond;
      this.incarnation = incarnation;
    }

    /** The token of the user at {@code index} (sequence index + 1). */
    String token(long index) {
      return b.tokens.waitingToken(new Ticket(event, Users.id(index), index + 1, joinedSecond, incarnation));
    }

    /** Tokens of random users at even indexes of the back 90% of the line (odd ones are for leaving). */
    String[] pool(int size) {
      long from = n / 10;
      long evens = (n - from) / 2;
      String[] tokens = new String[size];
      for (int i = 0; i < size; i++) {
        long index = from + 2 * ((Users.mix(i) % evens));
        tokens[i] = token(index & ~1L);
      }
      return tokens;
    }
  }

  /** Threads that call status on random tokens of the pool as fast as they can, thread t on queue t mod N. */
  static final class Workers {
    final LongAdder calls = new LongAdder();
    final LongAdder wrong = new LongAdder();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    Workers(List<RedisWaitingQueue> queues, String[] pool, int count) {
      for (int t = 0; t < count; t++) {
        RedisWaitingQueue q = queues.get(t % queues.size());
        Thread thread = new Thread(() -> {
          try {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stop.get()) {
              if (q.status(pool[random.nextInt(pool.length)]).state() != TicketState.WAITING) {
                wrong.increment();
              }
              calls.increment();
            }
          } catch (Throwable e) {
            failure.set(e);
          }
        }, "mirror-worker-" + t);
        thread.setDaemon(true);
        threads.add(thread);
      }
    }

    void start() {
      threads.forEach(Thread::start);
    }

    void stop() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a status worker failed", failure.get());
      }
    }
  }

  /** What a stretch of the workers' run cost: calls, JVM CPU, Redis CPU (INFO cpu) and commandstats. */
  record Window(long calls, long mirrored, double wallSeconds, double jvmCpuSeconds, double redisCpuSeconds,
      double redisMainCpuSeconds, CommandStats stats, long topLevelMicros) {
    interface Body {
      void run() throws Exception;
    }

    static Window measure(Bench b, Workers workers, Body body, java.util.function.LongSupplier mirroredCount)
        throws Exception {
      CommandStats before = b.commandStats();
      double redisBefore = redisCpuSeconds(b);
      double mainBefore = b.redisMainThreadCpuSeconds();
      double cpuBefore = processCpuSeconds();
      long callsBefore = workers.calls.sum();
      long mirroredBefore = mirroredCount.getAsLong();
      long start = System.nanoTime();
      body.run();
      long calls = workers.calls.sum() - callsBefore;
      long mirrored = mirroredCount.getAsLong() - mirroredBefore;
      double wall = (System.nanoTime() - start) / 1e9;
      double cpu = processCpuSeconds() - cpuBefore;
      double redis = redisCpuSeconds(b) - redisBefore;
      double main = b.redisMainThreadCpuSeconds() - mainBefore;
      CommandStats delta = b.commandStats().since(before);
      long all = delta.micros().values().stream().mapToLong(Long::longValue).sum();
      return new Window(calls, mirrored, wall, cpu, redis, main, delta, all - delta.innerMicros());
    }

    /** used_cpu_user + used_cpu_sys of the Redis process. */
    static double redisCpuSeconds(Bench b) {
      Map<String, String> cpu = b.redis.info("cpu");
      return Double.parseDouble(cpu.get("used_cpu_user")) + Double.parseDouble(cpu.get("used_cpu_sys"));
    }
  }

  /**
   * How stale mirrored answers get: a ticket ahead of a probe leaves, and the probe's mirrored status is read
   * until it shows the probe one place lower. {@code ms}: the age of the stalest answer that still showed the old
   * position (its call's start minus the leave's end: the bound promises at most the staleness bound);
   * {@code propagationMs}: from the leave's start to the end of the first call that showed the new position
   * (it includes how long this thread waits for a core on a busy machine).
   */
  record Staleness(long[] ms, long[] propagationMs) {
    static Staleness measure(RedisWaitingQueue plain, RedisWaitingQueue mirrored, Tickets tickets, long n, int probes)
        throws InterruptedException {
      String probe = tickets.token(n - 2); // even index: never one that leaves
      long[] ms = new long[probes];
      long[] propagation = new long[probes];
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int i = 0; i < probes; i++) {
        long before = mirroredPosition(mirrored, probe, new long[1]);
        Thread.sleep(random.nextInt(250)); // leave at every phase of the refresh interval
        String leaving = tickets.token((n / 10 + 2 * random.nextLong((n - n / 10) / 2 - 2)) | 1);
        long start = System.nanoTime();
        plain.leave(leaving);
        long left = System.nanoTime();
        long[] callStart = new long[1];
        long stalest = 0;
        while (mirroredPosition(mirrored, probe, callStart) != before - 1) {
          stalest = Math.max(stalest, callStart[0] - left);
          if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(10)) {
            throw new IllegalStateException("a leave did not reach the mirror within 10 s");
          }
          LockSupport.parkNanos(200_000);
        }
        ms[i] = stalest / 1_000_000;
        propagation[i] = (System.nanoTime() - start) / 1_000_000;
      }
      Arrays.sort(ms);
      Arrays.sort(propagation);
      return new Staleness(ms, propagation);
    }

    /** The probe's position answered by the mirror (retried until the mirror answers it); its call's start. */
    private static long mirroredPosition(RedisWaitingQueue q, String token, long[] callStart) {
      for (int tries = 0; tries < 100_000; tries++) {
        long count = q.mirroredStatusCount();
        callStart[0] = System.nanoTime();
        TicketStatus s = q.status(token);
        if (q.mirroredStatusCount() > count) {
          return s.position();
        }
        LockSupport.parkNanos(200_000);
      }
      throw new IllegalStateException("the mirror stopped answering the probe");
    }

    long maxPropagationMs() {
      return propagationMs[propagationMs.length - 1];
    }

    long maxMs() {
      return ms.length == 0 ? 0 : ms[ms.length - 1];
    }

    long medianMs() {
      return ms.length == 0 ? 0 : ms[ms.length / 2];
    }
  }

  /**
   * The library's catch-up call ({@code mirror.lua}) priced alone: recorded from a mirrored queue object's first
   * call, then sent again with no heartbeats, and with batches of heartbeats whose window is the ticket's own
   * or one newer: as the (user, sequence, window) triples mirror.lua reads a ZSCORE each for (and a ZADD when the
   * window moved), and as the (score, user) pairs of FIFO tickets it applies with one ZADD XX GT per 500.
   * Each call's own time from SLOWLOG (threshold 0) and the Redis main thread's CPU around it, the median of each
   * kind: the sweep a call runs when one is due (every 250 ms) is in a few of them, not in the median.
   */
  static final class CatchUp {
    private static final int HEARTBEATS = (int) QueueRules.HEARTBEAT_BATCH;

    static Map<String, Object> price(Bench b, String event, Tickets tickets, long n) throws Exception {
      ScriptCall call = record(b, event, tickets.token(n - 2));
      Map<String, Object> out = new LinkedHashMap<>();
      try (Jedis jedis = b.redis.admin()) {
        long idleMs = Long.parseLong(jedis.hget(call.keys().get(0), "idle"));
        long window = QueueRules.window(idleMs, Abandonment.redisMillis(jedis));
        String incarnation = jedis.hget(call.keys().get(0), "inc");
        int rounds = b.options.quick ? 5 : 40;
        double[] empty = medians(jedis, call, rounds * 5, i -> call.args());
        double[] same = medians(jedis, call, rounds, i -> withHeartbeats(call, incarnation, n, i, window));
        double[] newer = medians(jedis, call, rounds, i -> {
          rewind(jedis, call.keys().get(1), n, rounds + i, (window + QueueRules.HB_SPAN - 1) % QueueRules.HB_SPAN);
          return withHeartbeats(call, incarnation, n, rounds + i, window);
        });
        double[] scores = medians(jedis, call, rounds, i -> {
          rewind(jedis, call.keys().get(1), n, 2 * rounds + i, (window + QueueRules.HB_SPAN - 1) % QueueRules.HB_SPAN);
          return withScores(call, incarnation, n, 2 * rounds + i, window);
        });
        out.put("recorded", call.target() + " ARGV " + call.args());
        out.put("usec_empty", empty[0]);
        out.put("cpu_usec_empty_with_probe_overhead", empty[1]);
        out.put("heartbeats_per_call", HEARTBEATS);
        out.put("usec_per_heartbeat_zscore_only", (same[0] - empty[0]) / HEARTBEATS);
        out.put("usec_per_heartbeat_with_zadd", (newer[0] - empty[0]) / HEARTBEATS);
        out.put("cpu_usec_per_heartbeat_zscore_only", (same[1] - empty[1]) / HEARTBEATS);
        out.put("cpu_usec_per_heartbeat_with_zadd", (newer[1] - empty[1]) / HEARTBEATS);
        out.put("usec_per_heartbeat_zadd_gt", (scores[0] - empty[0]) / HEARTBEATS);
        out.put("cpu_usec_per_heartbeat_zadd_gt", (scores[1] - empty[1]) / HEARTBEATS);
        Bench.print("catch-up (%s) alone, median of each: %.1f us without heartbeats (SLOWLOG); per heartbeat %.2f us "
            + "(window unchanged: ZSCORE) or %.2f us (window moved: ZSCORE + ZADD) in SLOWLOG, %.2f us or %.2f us of "
            + "Redis main-thread CPU (arguments' parsing included)", call.target(), empty[0],
            (same[0] - empty[0]) / HEARTBEATS, (newer[0] - empty[0]) / HEARTBEATS, (same[1] - empty[1]) / HEARTBEATS,
            (newer[1] - empty[1]) / HEARTBEATS);
        Bench.print("   the same heartbeats as FIFO scores (ZADD XX GT, 500 a command, the way the mirror sends them): "
            + "%.2f us in SLOWLOG, %.2f us of Redis main-thread CPU each", (scores[0] - empty[0]) / HEARTBEATS,
            (scores[1] - empty[1]) / HEARTBEATS);
      }
      return out;
    }

    /** The first catch-up a mirrored queue object sends, made for real and recorded. */
    private static ScriptCall record(Bench b, String event, String token) throws InterruptedException {
      AtomicReference<ScriptCall> first = new AtomicReference<>();
      try (UnifiedJedis client = new UnifiedJedis(new PooledConnectionProvider(new HostAndPort("127.0.0.1",
          b.redis.port()), DefaultJedisClientConfig.builder().build()), RedisProtocol.RESP2) {
        @Override
        public Object fcall(String name, List<String> keys, List<String> args) {
          if (name.startsWith("wq_mirror_")) {
            first.compareAndSet(null, new ScriptCall(ScriptCall.FCALL, name, keys, args));
          }
          return super.fcall(name, keys, args);
        }
      }; RedisWaitingQueue q = RedisWaitingQueue.builder(client).config(b.config).lineMirror(BOUND).build()) {
        q.status(token);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (first.get() == null && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
      }
      if (first.get() == null) {
        throw new IllegalStateException("no catch-up call (FCALL wq_mirror_*) recorded from a mirrored queue object");
      }
      return first.get();
    }

    interface Args {
      List<String> of(int round);
    }

    /**
     * The median time in Redis of {@code count} calls, each with the ARGV {@code args} gives: the call's own time
     * (SLOWLOG, wall time inside the command) and the Redis main thread's CPU time around it (INFO cpu before and
     * after: it includes reading the arguments, and a constant overhead of the probe's own commands).
     */
    private static double[] medians(Jedis jedis, ScriptCall call, int count, Args args) {
      jedis.configSet("slowlog-log-slower-than", "0");
      jedis.configSet("slowlog-max-len", "10000");
      long[] times = new long[count];
      double[] cpu = new double[count];
      for (int i = 0; i < count; i++) {
        List<String> a = args.of(i);
        jedis.slowlogReset();
        double before = mainThreadCpuSeconds(jedis);
        jedis.fcall(call.target(), call.keys(), a);
        cpu[i] = (mainThreadCpuSeconds(jedis) - before) * 1e6;
        List<Slowlog> log = jedis.slowlogGet(10);
        times[i] = log.stream().filter(e -> e.getArgs().get(0).equalsIgnoreCase("fcall"))
            .mapToLong(Slowlog::getExecutionTime).findFirst().orElseThrow();
      }
      jedis.configSet("slowlog-log-slower-than", "10000");
      jedis.configSet("slowlog-max-len", "128");
      Arrays.sort(times);
      Arrays.sort(cpu);
      return new double[] {times[count / 2], cpu[count / 2]};
    }

    private static double mainThreadCpuSeconds(Jedis jedis) {
      Map<String, String> cpu = LocalRedis.parseInfo(jedis.info("cpu"));
      return Double.parseDouble(cpu.get("used_cpu_user_main_thread")) + Double.parseDouble(cpu.get("used_cpu_sys_main_thread"));
    }

    /**
     * The recorded ARGV (now, from, most entries, incarnation, number of score pairs: see mirror.lua) with the
     * event's incarnation, and the heartbeats of the users of batch {@code round} as (user, sequence, window).
     */
    private static List<String> withHeartbeats(ScriptCall call, String incarnation, long n, int round, long window) {
      List<String> args = heartbeatHeader(call, incarnation, 0);
      for (long i = 0; i < HEARTBEATS; i++) {
        long index = batchIndex(n, round, i);
        args.add(Users.id(index));
        args.add(Long.toString(index + 1));
        args.add(Long.toString(window));
      }
      return args;
    }

    /** The same heartbeats as the (score, user) pairs the mirror sends for FIFO tickets. */
    private static List<String> withScores(ScriptCall call, String incarnation, long n, int round, long window) {
      List<String> args = heartbeatHeader(call, incarnation, HEARTBEATS);
      for (long i = 0; i < HEARTBEATS; i++) {
        long index = batchIndex(n, round, i);
        args.add(Long.toString((index + 1) * QueueRules.HB_SPAN + window));
        args.add(Users.id(index));
      }
      return args;
    }

    /** The recorded call's first three arguments, then the event's incarnation and the number of score pairs. */
    private static List<String> heartbeatHeader(ScriptCall call, String incarnation, int pairs) {
      List<String> args = new ArrayList<>(call.args().subList(0, 3));
      args.add(incarnation);
      args.add(Integer.toString(pairs));
      return args;
    }

    /** Sets the window of batch {@code round}'s users back to {@code window}, so a heartbeat moves it. */
    private static void rewind(Jedis jedis, String line, long n, int round, long window) {
      Map<String, Double> scores = new HashMap<>();
      for (long i = 0; i < HEARTBEATS; i++) {
        long index = batchIndex(n, round, i);
        scores.put(Users.id(index), (double) ((index + 1) * QueueRules.HB_SPAN + window));
      }
      Pipeline p = jedis.pipelined();
      p.zadd(line, scores, ZAddParams.zAddParams().xx());
      p.sync();
    }

    /** Users spread over the line, another set each round. */
    private static long batchIndex(long n, int round, long i) {
      return Users.mix(round * 1_000_003L + i) % (n - 1);
    }
  }
}
