package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.EnterOutcome;
import io.github.waitingqueue.JoinOutcome;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.WaitingQueue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.RedisClient;

/**
 * Section 1: the library's throughput per operation as a fraction of redis-benchmark running the same
 * script with the same KEYS and ARGV at the same concurrency, each run alone on the client cores.
 *
 * <p>join: both sides add the same number of new users to a fresh event (redis-benchmark's user ids are
 * UUID-shaped, {@code __rand_int__} in the last group). status: both read the same line of waiting users;
 * the library asks for random users, redis-benchmark for one fixed user in the middle of the line (it
 * cannot pair a random user with its sequence), which keeps that user's path hot in the CPU caches and so
 * can only flatter the limit; so the library also runs status on that same user ({@code status_same_user}:
 * exactly the same call on both sides). enter and leave change the line, so redis-benchmark cannot repeat them;
 * they are reported against the status limit, the script closest to them in cost.
 */
final class Throughput {
  /** Rounds of library and redis-benchmark runs, alternating, so both sides meet the same noise. */
  private static final int ROUNDS = 5;
  private static final com.sun.management.OperatingSystemMXBean JVM =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private Throughput() {}

  static Map<String, Object> run(Bench b) throws Exception {
    int c = b.options.clients;
    long joins = b.options.count(100_000);
    long statuses = b.options.count(150_000);
    long enters = joins / 3;
    b.header("throughput", "library vs redis-benchmark on the same scripts, " + c + " clients each");
    Map<String, Object> out = new LinkedHashMap<>();
    Rates lib = new Rates();
    Rates rb = new Rates();
    try (RedisClient client = b.redis.client(c)) {
      WaitingQueue queue = b.queue(client);
      warmUp(queue, c, b.options.count(40_000));
      for (int round = 0; round < ROUNDS; round++) {
        String event = "throughput-" + round;
        String[] tokens = new String[(int) joins];
        long offset = round * joins;
        lib.add("join", counted(b, lib, "join", joins, () -> ClosedLoop.run(c, joins, i -> {
          var r = queue.join(event, Users.id(offset + i));
          check(r.outcome() == JoinOutcome.JOINED, "join");
          tokens[(int) i] = r.waitingToken();
        })));
        ScriptCall joinCall = b.joinCall("throughput-rb-" + round)
            .withArg(Bench.PLACEHOLDER_USER, "00000000-0000-4000-8000-__rand_int__");
        rb.add("join", busy(b, rb, "join", () -> RedisBenchmark.run(b.cpus, b.redis.port(), c, joins, 2_000_000_000L,
            joinCall)));

        lib.add("status", counted(b, lib, "status", statuses, () -> ClosedLoop.run(c, statuses, i -> {
          var s = queue.status(tokens[ThreadLocalRandom.current().nextInt(tokens.length)]);
          check(s.state() != TicketState.NOT_FOUND, "status");
        })));
        String fixed = tokens[tokens.length / 2];
        lib.add("status_same_user", counted(b, lib, "status_same_user", statuses, () -> ClosedLoop.run(c, statuses,
            i -> check(queue.status(fixed).state() != TicketState.NOT_FOUND, "status"))));
        ScriptCall statusCall;
        try (RecordingJedis recording = new RecordingJedis(b.redis.port())) {
          b.queue(recording).status(fixed);
          statusCall = recording.lastCall();
        }
        rb.add("status", busy(b, rb, "status", () -> RedisBenchmark.run(b.cpus, b.redis.port(), c, statuses, 0,
            statusCall)));

        lib.add("enter", counted(b, lib, "enter", enters, () -> ClosedLoop.run(c, enters, i ->
            check(queue.enter(tokens[(int) i]).outcome() == EnterOutcome.ADMITTED, "enter"))));
        lib.add("leave", counted(b, lib, "leave", enters, () -> ClosedLoop.run(c, enters, i ->
            check(queue.leave(tokens[tokens.length - 1 - (int) i]), "leave"))));
        Bench.print("round %d: library join %,.0f status %,.0f (same user %,.0f) enter %,.0f leave %,.0f; "
            + "redis-benchmark join %,.0f status %,.0f ops/s", round + 1, lib.last("join"), lib.last("status"),
            lib.last("status_same_user"), lib.last("enter"), lib.last("leave"), rb.last("join"), rb.last("status"));
      }
    }
    out.put("clients", c);
    out.put("rounds", ROUNDS);
    out.put("join", op("join", lib, rb, "join", 0.7));
    out.put("status", op("status", lib, rb, "status", 0.8));
    out.put("status_same_user", op("status_same_user", lib, rb, "status", 0.8));
    out.put("enter", op("enter", lib, rb, "status", 0));
    out.put("leave", op("leave", lib, rb, "status", 0));
    Map<String, Object> commands = new LinkedHashMap<>();
    commands.put("join", rb.commands.get("join"));
    commands.put("status", rb.commands.get("status"));
    out.put("redis_benchmark_commands", commands);
    Bench.print("redis-benchmark join (last round):   %s", rb.commands.get("join"));
    Bench.print("redis-benchmark status (last round): %s", rb.commands.get("status"));
    return out;
  }

  private static Map<String, Object> op(String name, Rates lib, Rates rb, String limitScript, double goal) {
    double best = lib.best(name);
    double limit = rb.best(limitScript);
    double fraction = best / limit;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("library_ops_per_s", Math.round(best));
    m.put("limit_script", limitScript);
    m.put("redis_benchmark_ops_per_s", Math.round(limit));
    m.put("fraction", fraction);
    m.put("library_rounds", lib.all(name));
    m.put("redis_main_thread_busy_library", lib.busyInBest(name));
    m.put("redis_usec_per_call_library", lib.redisMicrosInBest(name));
    m.put("client_jvm_busy_library", lib.jvmBusyInBest(name));
    m.put("redis_main_thread_busy_redis_benchmark", rb.busyInBest(limitScript));
    m.put("redis_benchmark_rounds", rb.all(limitScript));
    String goalText = "";
    if (goal > 0) {
      m.put("goal", goal);
      m.put("met", fraction >= goal);
      goalText = String.format(java.util.Locale.ROOT, "  goal >= %.1f: %s", goal, Bench.verdict(fraction >= goal));
    }
    Bench.print("%-16s library %,8.0f ops/s (Redis busy %3.0f%%, %.1f us/call in Redis; JVM busy %3.0f%% of a core)   "
        + "redis-benchmark, %s script %,8.0f ops/s (Redis busy %3.0f%%)   fraction %.2f%s", name, best,
        100 * lib.busyInBest(name), lib.redisMicrosInBest(name), 100 * lib.jvmBusyInBest(name), limitScript, limit,
        100 * rb.busyInBest(limitScript), fraction, goalText);
    return m;
  }

  /** Each round's rate per operation; the best round stands for a side, as noise only ever slows a run. */
  private static final class Rates {
    final Map<String, List<Double>> rates = new LinkedHashMap<>();
    final Map<String, String> commands = new LinkedHashMap<>();
    final Map<String, List<Double>> busy = new LinkedHashMap<>();
    final Map<String, List<Double>> redisMicros = new LinkedHashMap<>();
    final Map<String, List<Double>> jvmBusy = new LinkedHashMap<>();

    void add(String op, double rate) {
      rates.computeIfAbsent(op, k -> new ArrayList<>()).add(rate);
    }

    void add(String op, RedisBenchmark.Result r) {
      add(op, r.opsPerSecond());
      commands.put(op, r.command());
    }

    double last(String op) {
      List<Double> l = rates.get(op);
      return l.get(l.size() - 1);
    }

    /** Redis's own time per EVALSHA in the best round (commandstats usec over calls). */
    double redisMicrosInBest(String op) {
      return inBest(redisMicros, op);
    }

    /** How busy the Redis main thread was in the best round. */
    double busyInBest(String op) {
      return inBest(busy, op);
    }

    /** How many cores this JVM kept busy in the best round (1.0 = the whole client core). */
    double jvmBusyInBest(String op) {
      return inBest(jvmBusy, op);
    }

    private double inBest(Map<String, List<Double>> values, String op) {
      return values.get(op).get(rates.get(op).indexOf(best(op)));
    }

    double best(String op) {
      return rates.get(op).stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    List<Long> all(String op) {
      return rates.get(op).stream().map(Math::round).toList();
    }
  }

  /** JIT warm-up of every call path on its own event, so the measured runs see compiled code. */
  private static void warmUp(WaitingQueue queue, int c, long n) throws InterruptedException {
    String event = "warm-up";
    String[] tokens = new String[(int) n];
    ClosedLoop.run(c, n, i -> tokens[(int) i] = queue.join(event, "warm-" + i).waitingToken());
    ClosedLoop.run(c, n * 2, i -> queue.status(tokens[(int) (i % n)]));
    ClosedLoop.run(c, n / 2, i -> queue.enter(tokens[(int) i]));
    ClosedLoop.run(c, n / 2, i -> queue.leave(tokens[(int) (n - 1 - i)]));
  }

  /** Runs a library measurement and checks it cost exactly one EVALSHA per call, and no EVAL. */
  private static double counted(Bench b, Rates rates, String op, long calls, Measurement m) throws Exception {
    CommandStats before = b.commandStats();
    double rate = busy(b, rates, op, () -> new RedisBenchmark.Result(m.run(), 0, "")).opsPerSecond();
    CommandStats delta = b.commandStats().since(before);
    rates.redisMicros.computeIfAbsent(op, k -> new ArrayList<>()).add(delta.micros("evalsha") / (double) calls);
    if (delta.of("evalsha") != calls || delta.of("eval") != 0) {
      throw new IllegalStateException("expected " + calls + " EVALSHA and no EVAL, Redis saw " + delta.of("evalsha")
          + " EVALSHA and " + delta.of("eval") + " EVAL");
    }
    return rate;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what + " did not have the expected outcome");
    }
  }

  /**
   * Runs a measurement and records how busy the Redis main thread was meanwhile (its CPU time over the
   * wall time): near 100% means Redis was the limit, less means the client could not keep it busy.
   */
  private static RedisBenchmark.Result busy(Bench b, Rates rates, String op, RunWith m) throws Exception {
    double cpuBefore = b.redisMainThreadCpuSeconds();
    long jvmBefore = JVM.getProcessCpuTime();
    long start = System.nanoTime();
    RedisBenchmark.Result r = m.run();
    double wall = (System.nanoTime() - start) / 1e9;
    rates.busy.computeIfAbsent(op, k -> new ArrayList<>()).add((b.redisMainThreadCpuSeconds() - cpuBefore) / wall);
    rates.jvmBusy.computeIfAbsent(op, k -> new ArrayList<>()).add((JVM.getProcessCpuTime() - jvmBefore) / 1e9 / wall);
    return r;
  }

  @FunctionalInterface
  interface Measurement {
    double run() throws Exception;
  }

  @FunctionalInterface
  interface RunWith {
    RedisBenchmark.Result run() throws Exception;
  }
}
