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
import io.github.waitingqueue.redis.RedisWaitingQueue.ScriptMode;
import redis.clients.jedis.Jedis;
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
 *
 * <p>The floor (issue 9): Redis's time per call (commandstats usec over calls) of a function doing only
 * ZSCORE + ZRANK of the user on the event's queue, run by redis-benchmark on the status call's own KEYS
 * and ARGV in every round; each operation's Redis time per FCALL in the same run is reported as a ratio
 * to it, both the lowest of the rounds.
 */
final class Throughput {
  /** Rounds of library and redis-benchmark runs, alternating, so both sides meet the same noise. */
  private static final int ROUNDS = 5;
  private static final com.sun.management.OperatingSystemMXBean JVM =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private Throughput() {}

  @SuppressWarnings("unchecked")
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
      try (Jedis admin = b.redis.admin()) {
        Probes.load(admin);
      }
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
        rb.add("join", measured(b, rb, "join", joinCall, () -> RedisBenchmark.run(b.cpus, b.redis.port(), c, joins,
            2_000_000_000L, joinCall)));

        lib.add("status", counted(b, lib, "status", statuses, () -> ClosedLoop.run(c, statuses, i -> {
          var s = queue.status(tokens[ThreadLocalRandom.current().nextInt(tokens.length)]);
          check(s.state() != TicketState.NOT_FOUND, "status");
        })));
        String fixed = tokens[tokens.length / 2];
        lib.add("status_same_user", counted(b, lib, "status_same_user", statuses, () -> ClosedLoop.run(c, statuses,
            i -> check(queue.status(fixed).state() != TicketState.NOT_FOUND, "status"))));
        ScriptCall statusCall = b.record(ScriptMode.AUTO, q -> q.status(fixed));
        rb.add("status", measured(b, rb, "status", statusCall, () -> RedisBenchmark.run(b.cpus, b.redis.port(), c,
            statuses, 0, statusCall)));
        // The floor: ZSCORE + ZRANK of the same user on the same line, called with the status call's own
        // KEYS and ARGV; by redis-benchmark on that fixed user, and by this JVM on random users.
        ScriptCall floorCall = Probes.call(Probes.FLOOR, statusCall);
        rb.add("floor", measured(b, rb, "floor", floorCall, () -> RedisBenchmark.run(b.cpus, b.redis.port(), c,
            statuses, 0, floorCall)));
        lib.add("floor_random_users", counted(b, lib, "floor_random_users", statuses, () -> ClosedLoop.run(c, statuses,
            i -> client.fcall(Probes.FLOOR, floorCall.keys(), List.of("",
                Users.id(offset + ThreadLocalRandom.current().nextInt((int) joins)), "0")))));

        lib.add("enter", counted(b, lib, "enter", enters, () -> ClosedLoop.run(c, enters, i ->
            check(queue.enter(tokens[(int) i]).outcome() == EnterOutcome.ADMITTED, "enter"))));
        lib.add("leave", counted(b, lib, "leave", enters, () -> ClosedLoop.run(c, enters, i ->
            check(queue.leave(tokens[tokens.length - 1 - (int) i]), "leave"))));
        Bench.print("round %d: library join %,.0f status %,.0f (same user %,.0f) enter %,.0f leave %,.0f; "
            + "redis-benchmark join %,.0f status %,.0f floor %,.0f ops/s", round + 1, lib.last("join"),
            lib.last("status"), lib.last("status_same_user"), lib.last("enter"), lib.last("leave"), rb.last("join"),
            rb.last("status"), rb.last("floor"));
      }
    }
    out.put("clients", c);
    out.put("rounds", ROUNDS);
    try (Jedis admin = b.redis.admin()) {
      out.put("library_calls_with", "FCALL of " + admin.functionList("waitingqueue_*").get(0).getLibraryName());
    }
    // Redis's time per call: the lowest of the rounds, for the floor and the library alike (time stolen by
    // other processes only ever adds to it)
    double floor = rb.lowestRedisMicros("floor");
    double floorRandom = lib.lowestRedisMicros("floor_random_users");
    out.put("floor", "ZSCORE + ZRANK of the user on the event's queue key, as a function called with the status call's"
        + " KEYS and ARGV: " + Probes.BODIES.get(Probes.FLOOR).replace('\n', ' '));
    out.put("floor_usec_per_call", floor);
    out.put("floor_usec_per_call_rounds", rb.redisMicros.get("floor"));
    out.put("floor_ops_per_s_redis_benchmark", Math.round(rb.best("floor")));
    out.put("floor_random_users_usec_per_call", floorRandom);
    out.put("redis_benchmark_status_usec_per_call", rb.lowestRedisMicros("status"));
    Bench.print("floor (ZSCORE + ZRANK, FCALL): %.2f us per call in Redis (redis-benchmark, one user), %.2f us (this JVM,"
        + " random users)", floor, floorRandom);
    out.put("join", op("join", lib, rb, "join", 0.7, floor, 3));
    out.put("status", op("status", lib, rb, "status", 0.8, floor, 3));
    out.put("status_same_user", op("status_same_user", lib, rb, "status", 0.8, floor, 3));
    out.put("enter", op("enter", lib, rb, "status", 0, floor, 5));
    out.put("leave", op("leave", lib, rb, "status", 0, floor, 0));
    double status = lib.lowestRedisMicros("status");
    double join = lib.lowestRedisMicros("join");
    double enter = lib.lowestRedisMicros("enter");
    ((Map<String, Object>) out.get("status")).put("ratio_to_floor_random_users", status / floorRandom);
    Bench.print("Redis us per call against the floor (%.2f us): status %.2f us = %.1fx (goal <= 3: %s; against the floor"
        + " on random users %.1fx), join %.2f us = %.1fx (goal <= 3: %s), enter %.2f us = %.1fx (goal <= 5: %s)", floor,
        status, status / floor, Bench.verdict(status / floor <= 3), status / floorRandom, join, join / floor,
        Bench.verdict(join / floor <= 3), enter, enter / floor, Bench.verdict(enter / floor <= 5));
    Map<String, Object> commands = new LinkedHashMap<>();
    commands.put("join", rb.commands.get("join"));
    commands.put("status", rb.commands.get("status"));
    commands.put("floor", rb.commands.get("floor"));
    out.put("redis_benchmark_commands", commands);
    Bench.print("redis-benchmark join (last round):   %s", rb.commands.get("join"));
    Bench.print("redis-benchmark status (last round): %s", rb.commands.get("status"));
    Bench.print("redis-benchmark floor (last round):  %s", rb.commands.get("floor"));
    return out;
  }

  private static Map<String, Object> op(String name, Rates lib, Rates rb, String limitScript, double goal, double floor,
      double floorGoal) {
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
    m.put("redis_usec_per_call_library", lib.lowestRedisMicros(name));
    m.put("redis_usec_per_call_library_rounds", lib.redisMicros.get(name));
    m.put("redis_usec_per_call_library_in_best_round", lib.redisMicrosInBest(name));
    double ratio = lib.lowestRedisMicros(name) / floor;
    m.put("ratio_to_floor", ratio);
    if (floorGoal > 0) {
      m.put("ratio_to_floor_goal", floorGoal);
      m.put("ratio_to_floor_met", ratio <= floorGoal);
    }
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

    /** Redis's own time per call in the best round (commandstats usec over calls). */
    double redisMicrosInBest(String op) {
      return inBest(redisMicros, op);
    }

    /** Redis's own time per call, the lowest of the rounds. */
    double lowestRedisMicros(String op) {
      return redisMicros.get(op).stream().mapToDouble(Double::doubleValue).min().orElseThrow();
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

  /** Runs a library measurement and checks it cost exactly one FCALL per call, and nothing else. */
  private static double counted(Bench b, Rates rates, String op, long calls, Measurement m) throws Exception {
    CommandStats before = b.commandStats();
    double rate = busy(b, rates, op, () -> new RedisBenchmark.Result(m.run(), 0, "")).opsPerSecond();
    CommandStats delta = b.commandStats().since(before);
    rates.redisMicros.computeIfAbsent(op, k -> new ArrayList<>()).add(delta.microsPerCall("fcall"));
    if (!delta.onlyScriptCommand("fcall", calls)) {
      throw new IllegalStateException("expected " + calls + " FCALL and nothing else, Redis saw "
          + delta.scriptCommands());
    }
    return rate;
  }

  /** Runs a redis-benchmark measurement and records Redis's time per call of the command it repeated. */
  private static RedisBenchmark.Result measured(Bench b, Rates rates, String op, ScriptCall call, RunWith m)
      throws Exception {
    CommandStats before = b.commandStats();
    RedisBenchmark.Result r = busy(b, rates, op, m);
    rates.redisMicros.computeIfAbsent(op, k -> new ArrayList<>())
        .add(b.commandStats().since(before).microsPerCall(call.statName()));
    return r;
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
