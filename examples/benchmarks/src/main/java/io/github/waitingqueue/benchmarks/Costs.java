package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.EnterOutcome;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.internal.QueueRules;
import io.github.waitingqueue.redis.RedisWaitingQueue.ScriptMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * Section 7: where Redis's time goes in status, join and enter (issue 9), all as Redis's own time per call
 * ({@code INFO commandstats} usec over calls), in alternating rounds whose lowest figure stands (other
 * processes only ever add time):
 *
 * <ul>
 *   <li>the same operations through the library in both modes, FCALL and EVALSHA (EVAL mode), 50 threads:
 *       what running the library's prelude on every EVALSHA costs against a loaded function library;</li>
 *   <li>probes ({@link Probes}), each one piece of a call, run by redis-benchmark with the status call's
 *       KEYS and ARGV: an empty function, TIME, the 13-field HMGET of load_event (and with its Lua table),
 *       a 20-field HMGET, the capacity count, the join-time lookup;</li>
 *   <li>variants of the library's own code, taken from Redis ({@code FUNCTION LIST WITHCODE}) and loaded
 *       under another name with one piece cut out, run by redis-benchmark with the status and join calls'
 *       KEYS and ARGV: the saving of each cut. The library's files are not touched.</li>
 * </ul>
 */
final class Costs {
  private static final int ROUNDS = 5;
  private static final int CLIENTS = 50;

  /** A cut: its name, and the text replaced in the library's code (every occurrence; at least one must exist). */
  record Cut(String name, String from, String to) {}

  /** A variant of the library's code: the cuts made, and the operations it is measured on. */
  record Variant(String name, List<String> ops, List<Cut> cuts) {}

  // status and join keep the sweep's count in a local; enter returns it within its reply
  static final List<Cut> NO_SWEEP = List.of(new Cut("no sweep check", "= sweep_if_due(ev, now)", "= 0"),
      new Cut("no sweep check in replies", ", sweep_if_due(ev, now),", ", 0,"));
  static final Cut NO_JOIN_TIME = new Cut("no join-time lookup",
      "local mark = redis.call('ZREVRANGEBYSCORE', KEYS[4], seq, '-inf', 'LIMIT', 0, 1)", "local mark = {}");
  static final Cut NO_CAPACITY = new Cut("no capacity count",
      "held = redis.call('ZCOUNT', KEYS[3], '(' .. fmt_int(now), '+inf')", "held = 0");
  static final Cut NO_HEARTBEAT = new Cut("no heartbeat check", "\n  heartbeat(ev, user, score, now)\n",
      "\n  local _ = 0\n");
  static final Cut NO_VIEW = new Cut("no ticket_view (state, allowance, eta)",
      "local code, position, wait = ticket_view(ev, now, redis.call('ZRANK', KEYS[2], user) + 1)",
      "local code, position, wait = TICKET_WAITING, redis.call('ZRANK', KEYS[2], user) + 1, 0");
  static final Cut NO_VIEW_JOIN = new Cut("no ticket_view in join", "local code, position, wait = ticket_view(ev, now, rank + 1)",
      "local code, position, wait = TICKET_WAITING, rank + 1, 0");
  static final Cut NO_MEASURE = new Cut("no measured-rate update", "= measure_after_admission(ev, now)",
      "= '1', fmt_int(now), fmt_int(now)");
  static final Cut NO_HELD = new Cut("no repeated-enter lookup", "local held = redis.call('ZSCORE', KEYS[3], member)",
      "local held = nil");
  /** Proposal 14: the sweep evicts with one ZREM and one HDEL (audit records left out of the variant). */
  static final List<Cut> BULK_EVICT = List.of(
      new Cut("a list of the evicted", "    local k = window_of(ev, now)\n    for i = 1, #items, 2 do",
          "    local k = window_of(ev, now)\n    local gone = {}\n    for i = 1, #items, 2 do"),
      new Cut("collect instead of evict", "        evict(ev, items[i], score, now)\n        evicted = evicted + 1",
          "        gone[#gone + 1] = items[i]\n        evicted = evicted + 1"),
      new Cut("one ZREM and one HDEL", "    local cursor = ''\n", "    if #gone > 0 then\n"
          + "      redis.call('ZREM', KEYS[2], unpack(gone))\n      redis.call('HDEL', KEYS[5], unpack(gone))\n"
          + "    end\n    local cursor = ''\n"));

  /** The variants; the first, no cut (the library's code as loaded, under another name). */
  static final List<Variant> VARIANTS = List.of(
      new Variant("library", List.of("status", "join", "enter"), List.of()),
      new Variant("no_sweep_check", List.of("status", "join", "enter"), NO_SWEEP),
      new Variant("no_capacity_count", List.of("status", "join", "enter"), List.of(NO_CAPACITY)),
      new Variant("no_heartbeat_check", List.of("status"), List.of(NO_HEARTBEAT)),
      new Variant("no_join_time_lookup", List.of("status"), List.of(NO_JOIN_TIME)),
      new Variant("no_ticket_view", List.of("status", "join"), List.of(NO_VIEW, NO_VIEW_JOIN)),
      new Variant("no_measured_rate", List.of("enter"), List.of(NO_MEASURE)),
      new Variant("no_repeat_lookup", List.of("enter"), List.of(NO_HELD)),
      new Variant("status_all_cuts", List.of("status"), cuts(NO_SWEEP, NO_HEARTBEAT, NO_JOIN_TIME, NO_VIEW)),
      new Variant("join_all_cuts", List.of("join"), cuts(NO_SWEEP, NO_VIEW_JOIN, NO_CAPACITY)),
      new Variant("enter_all_cuts", List.of("enter"), cuts(NO_SWEEP, NO_MEASURE, NO_HELD)));

  private static List<Cut> cuts(Object... cuts) {
    List<Cut> all = new ArrayList<>();
    for (Object c : cuts) {
      if (c instanceof Cut cut) {
        all.add(cut);
      } else {
        ((List<?>) c).forEach(x -> all.add((Cut) x));
      }
    }
    return all;
  }

  private Costs() {}

  /**
   * A library to compare with, in the same rounds as the library under test: {@code -Dwq.costs.baseline=FILE}
   * names a Functions library's source (what {@code FUNCTION LIST WITHCODE} returns, for instance of an earlier
   * build), loaded under another name and run as the variant {@code baseline} of status, join and enter. Its
   * KEYS and ARGV must be the library's.
   */
  static final String BASELINE = System.getProperty("wq.costs.baseline", "");

  static Map<String, Object> run(Bench b) throws Exception {
    // short runs, many rounds: the lowest of five is the figure least touched by other processes
    long perRun = b.options.count(12_000);
    int enters = (int) b.options.count(4_000);
    int variantEnters = enters / 2;
    long enterVariants = VARIANTS.stream().filter(v -> v.ops().contains("enter")).count() + (BASELINE.isEmpty() ? 0 : 1);
    // enters admit from the head of the lower half; status reads random users of the upper half
    long line = Math.max(b.options.count(400_000), 2 * ROUNDS * (2L * enters + enterVariants * variantEnters));
    b.header("costs", "Redis time per call of status, join and enter: FCALL vs EVALSHA, pieces, variants of the"
        + " library's code");
    String event = "costs";
    b.load(event, line);
    String fixed = b.loadedToken(event, line / 2);
    ScriptCall statusCall = b.record(ScriptMode.AUTO, q -> q.status(fixed));
    ScriptCall statusEval = b.record(ScriptMode.EVAL, q -> q.status(fixed));
    String randomUser = "00000000-0000-4000-8000-__rand_int__";
    ScriptCall joinCall = b.joinCall("costs-rb-join").withArg(Bench.PLACEHOLDER_USER, randomUser);
    ScriptCall joinEval = b.joinCall("costs-rb-join", ScriptMode.EVAL).withArg(Bench.PLACEHOLDER_USER, randomUser);
    String version = statusCall.target().substring(statusCall.target().lastIndexOf('_') + 1);

    Map<String, Run> runs = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    int[] head = {0}; // enters admit users from the head of the line, each once
    try (RedisClient client = b.redis.client(CLIENTS); Jedis admin = b.redis.admin()) {
      Probes.load(admin);
      String code = admin.functionListWithCode("waitingqueue_" + version).get(0).getLibraryCode();
      List<Variant> variants = new ArrayList<>(VARIANTS);
      String baselineCode = "";
      String baselineVersion = "";
      if (!BASELINE.isEmpty()) {
        baselineCode = java.nio.file.Files.readString(java.nio.file.Path.of(BASELINE));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=waitingqueue_(\\w+)").matcher(baselineCode);
        if (!m.find()) {
          throw new IllegalStateException(BASELINE + " is not a waiting-queue Functions library");
        }
        baselineVersion = m.group(1);
        variants.add(1, new Variant("baseline", List.of("status", "join", "enter"), List.of()));
        Bench.print("baseline: %s (library %s) against the library under test (%s)", BASELINE, baselineVersion, version);
      }
      int index = 0;
      for (Variant v : variants) {
        String name = "v" + index++;
        if (v.name().equals("baseline")) {
          admin.functionLoadReplace(variant(baselineCode, baselineVersion, name, List.of()));
        } else if (!applies(code, v.cuts())) {
          // the library changed under the cut (a proposal applied, a line rewritten): said, not measured
          Bench.print("variant %s skipped: its cuts no longer find their text in the library's code", v.name());
          skipped.add(v.name());
          continue;
        } else {
          admin.functionLoadReplace(variant(code, version, name, v.cuts()));
        }
        if (v.ops().contains("status")) {
          runs.put("status " + v.name(), rb(b, r -> statusCall.toFunction("wq_status_" + name), perRun, 0));
        }
        if (v.ops().contains("join")) {
          ScriptCall join = joinCall.toFunction("wq_join_" + name);
          if (v.name().equals("baseline") && !baselineCode.contains("settings_in(")) {
            join = settingsAsPairs(join); // a library before the one-argument settings takes them as pairs
          }
          runs.put("join " + v.name(), rb(b, freshEvent(join, name), perRun, 2_000_000_000L));
        }
        if (v.ops().contains("enter")) {
          // redis-benchmark cannot admit a new user per call: this JVM sends the library's enter ARGV itself
          runs.put("enter " + v.name(), new Run("fcall", r -> {
            int from = head[0];
            head[0] += variantEnters;
            ClosedLoop.run(CLIENTS, variantEnters, j -> check(((List<?>) client.fcall("wq_enter_" + name,
                statusCall.keys(), List.of("", Users.id(from + j), Long.toString(from + j + 1)))).get(0)
                .equals((long) EnterOutcome.ADMITTED.ordinal()), "enter"));
          }, b));
        }
      }
      runs.put("status evalsha", rb(b, r -> statusEval, perRun, 0));
      runs.put("join evalsha", rb(b, freshEvent(joinEval, "evalsha"), perRun, 2_000_000_000L));
      for (String probe : Probes.BODIES.keySet()) {
        runs.put(probe, rb(b, r -> Probes.call(probe, statusCall), perRun, 0));
      }
      ScriptCall noopEval = Probes.evalCall(admin, "wqbench_noop", statusCall);
      runs.put("wqbench_noop evalsha", rb(b, r -> noopEval, perRun, 0));

      // The library itself in both modes: join new users, status of random users, enter from the head.
      Map<ScriptMode, WaitingQueue> queues = Map.of(ScriptMode.AUTO, b.queue(client, ScriptMode.AUTO),
          ScriptMode.EVAL, b.queue(client, ScriptMode.EVAL));
      long[] nextUser = {1L << 41};
      for (ScriptMode mode : List.of(ScriptMode.AUTO, ScriptMode.EVAL)) {
        String command = mode == ScriptMode.EVAL ? "evalsha" : "fcall";
        WaitingQueue q = queues.get(mode);
        String suffix = mode == ScriptMode.EVAL ? " evalsha (library)" : " fcall (library)";
        runs.put("join" + suffix, new Run(command, i -> {
          long base = nextUser[0];
          nextUser[0] += enters;
          ClosedLoop.run(CLIENTS, enters, j -> q.join("costs-library-join", Users.id(base + j)));
        }, b));
        runs.put("status" + suffix, new Run(command, i -> ClosedLoop.run(CLIENTS, enters, j -> check(q.status(
            b.loadedToken(event, line / 2 + ThreadLocalRandom.current().nextLong(line / 2))).state()
            != TicketState.NOT_FOUND, "status")), b));
        runs.put("enter" + suffix, new Run(command, i -> {
          int from = head[0];
          head[0] += enters;
          ClosedLoop.run(CLIENTS, enters, j -> check(q.enter(b.loadedToken(event, from + j)).outcome()
              == EnterOutcome.ADMITTED, "enter"));
        }, b));
      }
      for (int round = 0; round < ROUNDS; round++) {
        for (Run r : runs.values()) {
          r.measure();
        }
        Bench.print("round %d of %d done", round + 1, ROUNDS);
      }
    }
    Map<String, Object> out = report(runs);
    if (!BASELINE.isEmpty()) {
      out.put("baseline", BASELINE);
    }
    out.put("variants_skipped", skipped);
    out.put("sweep", sweeps(b, version));
    return out;
  }

  /**
   * An explicit sweep over a line where 30% are idle, the library's against {@link #BULK_EVICT}, and the
   * library's over a line where nobody is idle: three events, loaded directly (as the abandonment section does) with the idle timeout already
   * counted (hbsince set back by the benchmark), swept in alternation; Redis's time per sweep and per
   * eviction.
   */
  private static Map<String, Object> sweeps(Bench b, String version) throws Exception {
    long n = b.options.count(300_000);
    int sweepsPerRound = 10;
    EventSettings settings = Bench.SETTINGS.toBuilder().idleTimeout(Duration.ofSeconds(60)).build();
    Map<String, Object> out = new LinkedHashMap<>();
    try (Jedis admin = b.redis.admin(); RedisClient client = b.redis.client(1)) {
      String code = admin.functionListWithCode("waitingqueue_" + version).get(0).getLibraryCode();
      boolean bulk = applies(code, BULK_EVICT);
      if (bulk) {
        admin.functionLoadReplace(variant(code, version, "bulk", BULK_EVICT));
      } else {
        Bench.print("bulk-eviction sweep skipped: its cuts no longer find their text in the library's code");
      }
      Map<String, ScriptCall> calls = new LinkedHashMap<>();
      // the third line has nobody idle: what examining a batch costs without evicting
      for (String side : bulk ? List.of("library", "bulk_evict", "nobody_idle") : List.of("library", "nobody_idle")) {
        String event = "costs-sweep-" + side;
        b.queue(client).configure(event, settings);
        ScriptCall sweep = b.record(ScriptMode.AUTO, q -> q.sweep(event));
        List<String> keys = sweep.keys();
        long now = Abandonment.redisMillis(admin);
        long window = QueueRules.window(60_000, now);
        Abandonment.writeScores(admin, keys.get(1), n, i -> true, window, false);
        if (!side.equals("nobody_idle")) {
          Abandonment.writeScores(admin, keys.get(1), n, i -> Users.mix(i ^ 0x5EED) % 10 < 3,
              Math.floorMod(window - 10, QueueRules.HB_SPAN), true); // 30% last seen 10 windows ago
        }
        admin.hset(keys.get(0), Map.of("hbsince", Long.toString(now - 61_000), "swept", Long.toString(now),
            "seq", Long.toString(n)));
        calls.put(side, side.equals("bulk_evict") ? sweep.toFunction("wq_sweep_bulk") : sweep);
      }
      Map<String, long[]> totals = new LinkedHashMap<>();
      for (int round = 0; round < ROUNDS; round++) {
        for (Map.Entry<String, ScriptCall> side : calls.entrySet()) {
          CommandStats before = b.commandStats();
          long evicted = 0;
          for (int i = 0; i < sweepsPerRound; i++) {
            evicted += (Long) side.getValue().send(admin);
          }
          CommandStats delta = b.commandStats().since(before);
          long[] t = totals.computeIfAbsent(side.getKey(), k -> new long[3]);
          t[0] += delta.of("fcall");
          t[1] += delta.micros("fcall");
          t[2] += evicted;
        }
      }
      Bench.print("explicit sweeps over %,d waiting, 30%% idle (batch %,d):", n,
          Math.min(QueueRules.SWEEP_BATCH_MAX, Math.max(QueueRules.EXPLICIT_SWEEP_BATCH, (n + 239) / 240)));
      totals.forEach((side, t) -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sweeps", t[0]);
        m.put("evicted", t[2]);
        m.put("usec_per_sweep", t[1] / (double) t[0]);
        if (t[2] > 0) {
          m.put("usec_per_eviction", t[1] / (double) t[2]);
        }
        out.put(side, m);
        Bench.print("  %-11s %,d sweeps evicted %,d: %.0f us per sweep%s", side, t[0], t[2], t[1] / (double) t[0],
            t[2] > 0 ? String.format(java.util.Locale.ROOT, ", %.2f us per eviction", t[1] / (double) t[2]) : "");
      });
    }
    return out;
  }

  private static Map<String, Object> report(Map<String, Run> runs) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("method", "lowest of " + ROUNDS + " alternating rounds of: usec = Redis's time per call (commandstats),"
        + " cpu_usec = Redis main thread CPU per call (INFO cpu, protocol work included, not inflated by other"
        + " processes); probes and variants by redis-benchmark -c " + CLIENTS + " with the status (join) call's KEYS"
        + " and ARGV, one user for status; enter and the library's own calls by " + CLIENTS + " threads of this JVM");
    Map<String, Object> modes = new LinkedHashMap<>();
    Bench.print("FCALL vs EVALSHA, the library's own calls (us per call in Redis; CPU us per call):");
    for (String op : List.of("join", "status", "enter")) {
      Run f = runs.get(op + " fcall (library)");
      Run e = runs.get(op + " evalsha (library)");
      modes.put(op, Map.of("fcall_usec", f.best(), "evalsha_usec", e.best(), "fcall_saves_usec", e.best() - f.best(),
          "fcall_cpu_usec", f.bestCpu(), "evalsha_cpu_usec", e.bestCpu(), "fcall_saves_cpu_usec",
          e.bestCpu() - f.bestCpu()));
      Bench.print("  %-7s FCALL %6.2f   EVALSHA %6.2f   FCALL saves %5.2f us   (CPU: %6.2f, %6.2f, saves %5.2f)", op,
          f.best(), e.best(), e.best() - f.best(), f.bestCpu(), e.bestCpu(), e.bestCpu() - f.bestCpu());
    }
    Run noop = runs.get("wqbench_noop");
    Run noopEval = runs.get("wqbench_noop evalsha");
    modes.put("empty_function", figure(noop, null));
    modes.put("empty_script_evalsha", figure(noopEval, null));
    Bench.print("  an empty function: FCALL %.2f us, EVALSHA %.2f us   (CPU: %.2f, %.2f)", noop.best(), noopEval.best(),
        noop.bestCpu(), noopEval.bestCpu());
    out.put("fcall_vs_evalsha", modes);

    Map<String, Object> pieces = new LinkedHashMap<>();
    Bench.print("pieces (FCALL with the status call's KEYS and ARGV; own = minus the empty function):");
    for (String probe : Probes.BODIES.keySet()) {
      Run r = runs.get(probe);
      pieces.put(probe.substring("wqbench_".length()), figure(r, noop));
      Bench.print("  %-16s %6.2f us (own %5.2f)   CPU %6.2f us (own %5.2f)   %s", probe.substring("wqbench_".length()),
          r.best(), r.best() - noop.best(), r.bestCpu(), r.bestCpu() - noop.bestCpu(),
          abbreviate(Probes.BODIES.get(probe).replace('\n', ' ')));
    }
    out.put("pieces", pieces);

    for (String op : List.of("status", "join", "enter")) {
      Map<String, Object> variants = new LinkedHashMap<>();
      Run base = runs.get(op + " library");
      Bench.print("%s variants (%s, FCALL of a renamed copy of the library's code; saves = library minus variant):",
          op, op.equals("enter") ? CLIENTS + " threads of this JVM" : "redis-benchmark");
      if (runs.containsKey(op + " baseline")) {
        variants.put("baseline", variant(runs.get(op + " baseline"), base, "baseline", List.of("-Dwq.costs.baseline")));
      }
      for (Variant v : VARIANTS) {
        if (v.ops().contains(op) && runs.containsKey(op + " " + v.name())) {
          variants.put(v.name(), variant(runs.get(op + " " + v.name()), base, v.name(),
              v.cuts().stream().map(Cut::name).distinct().toList()));
        }
      }
      if (runs.containsKey(op + " evalsha")) {
        variants.put("evalsha", variant(runs.get(op + " evalsha"), base, "evalsha (EVAL mode)", List.of()));
      }
      out.put(op + "_variants", variants);
    }
    Map<String, Object> all = new LinkedHashMap<>();
    runs.forEach((name, r) -> all.put(name, Map.of("usec", r.rounds, "cpu_usec", r.cpuRounds)));
    out.put("all_runs", all);
    return out;
  }

  /** A run's figures, and its own cost beyond {@code minus} when given. */
  private static Map<String, Object> figure(Run r, Run minus) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("usec", r.best());
    m.put("cpu_usec", r.bestCpu());
    if (minus != null) {
      m.put("own_usec", r.best() - minus.best());
      m.put("own_cpu_usec", r.bestCpu() - minus.bestCpu());
    }
    return m;
  }

  private static Map<String, Object> variant(Run r, Run base, String name, List<String> cuts) {
    Map<String, Object> m = figure(r, null);
    m.put("saves_usec", base.best() - r.best());
    m.put("saves_cpu_usec", base.bestCpu() - r.bestCpu());
    m.put("cuts", cuts);
    Bench.print("  %-22s %6.2f us  saves %6.2f   CPU %6.2f us  saves %6.2f", name, r.best(), base.best() - r.best(),
        r.bestCpu(), base.bestCpu() - r.bestCpu());
    return m;
  }

  private static String abbreviate(String text) {
    return text.length() <= 90 ? text : text.substring(0, 87) + "...";
  }

  /** A join call whose default settings (ARGV[3], 'name value ...') are sent as name, value arguments. */
  static ScriptCall settingsAsPairs(ScriptCall join) {
    List<String> args = new ArrayList<>(join.args().subList(0, 2));
    args.addAll(List.of(join.args().get(2).split(" ")));
    return new ScriptCall(join.command(), join.target(), join.keys(), args);
  }

  /** Whether every cut still finds its text in the library's code. */
  static boolean applies(String code, List<Cut> cuts) {
    return cuts.stream().allMatch(c -> code.contains(c.from()));
  }

  /** The library's code under another name ({@code wq_<op>_<name>}), with the cuts made. */
  static String variant(String code, String version, String name, List<Cut> cuts) {
    String v = code.replace("waitingqueue_" + version, "wqvariant_" + name).replace("_" + version + "'", "_" + name + "'");
    for (Cut cut : cuts) {
      if (!v.contains(cut.from())) {
        throw new IllegalStateException("the library's code no longer contains the text the cut '" + cut.name()
            + "' removes: " + cut.from());
      }
      v = v.replace(cut.from(), cut.to());
    }
    return v;
  }

  /** A redis-benchmark run of the call {@code callOfRound} gives for each round. */
  private static Run rb(Bench b, java.util.function.IntFunction<ScriptCall> callOfRound, long requests, long random) {
    return new Run(callOfRound.apply(0).statName(), r -> RedisBenchmark.run(b.cpus, b.redis.port(), CLIENTS, requests,
        random, callOfRound.apply(r)), b);
  }

  /** The join call on a new event in every round, so every variant joins a line of the same length. */
  private static java.util.function.IntFunction<ScriptCall> freshEvent(ScriptCall join, String name) {
    return r -> join.onEvent("costs-rb-join", "costs-rb-join-" + name + "-" + r);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what + " did not have the expected outcome");
    }
  }

  /**
   * One measured thing: how it runs, and in each round Redis's time per call of {@code command}
   * (commandstats, wall time inside the command) and the Redis main thread's CPU time per call (INFO cpu:
   * with the protocol's work too, but not inflated when other processes take Redis's core).
   */
  private static final class Run {
    final List<Double> rounds = new ArrayList<>();
    final List<Double> cpuRounds = new ArrayList<>();
    private final String command;
    private final Body body;
    private final Bench bench;

    Run(String command, Body body, Bench bench) {
      this.command = command;
      this.body = body;
      this.bench = bench;
    }

    void measure() throws Exception {
      CommandStats before = bench.commandStats();
      double cpu = bench.redisMainThreadCpuSeconds();
      body.run(rounds.size());
      double cpuAfter = bench.redisMainThreadCpuSeconds();
      CommandStats delta = bench.commandStats().since(before);
      rounds.add(delta.microsPerCall(command));
      cpuRounds.add((cpuAfter - cpu) * 1e6 / Math.max(1, delta.of(command)));
    }

    double best() {
      return rounds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    double bestCpu() {
      return cpuRounds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }
  }

  @FunctionalInterface
  interface Body {
    void run(int round) throws Exception;
  }
}
