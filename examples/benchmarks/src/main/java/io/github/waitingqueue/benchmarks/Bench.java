package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.internal.Ticket;
import io.github.waitingqueue.internal.Tokens;
import io.github.waitingqueue.redis.RedisWaitingQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/** What every section shares: the Redis, the CPU plan, the queue configuration and the output. */
final class Bench {
  /** A placeholder user for recording the library's join call; valid, and never loaded. */
  static final String PLACEHOLDER_USER = "00000000-0000-4000-8000-000000000000";

  /**
   * Every event the benchmark creates gets these settings: a bucket and a capacity large enough that every
   * enter in the run is admitted (enter's full path: token, lease, line), and a capacity limit, so status
   * and enter also count the held reservations as a sale with a capacity does. Abandonment stays on
   * (heartbeats are written, sweeps run) but with the longest idle timeout and ready grace, so no loaded
   * user is evicted or skipped while the run reads it.
   */
  static final EventSettings SETTINGS = EventSettings.builder().admissionRate(1_000_000).burst(1_000_000)
      .capacity(1_000_000).reservationTtl(Duration.ofHours(1)).idleTimeout(Duration.ofDays(1))
      .readyGrace(Duration.ofDays(1)).build();

  private static final SigningKeys KEYS = SigningKeys.ofText("bench", "benchmark-signing-secret-of-32-bytes-or-more");

  final LocalRedis redis;
  final Cpus cpus;
  final Options options;
  final Environment environment;
  final QueueConfig config = QueueConfig.builder().signingKeys(KEYS).defaultEventSettings(SETTINGS).build();
  final Tokens tokens = new Tokens(KEYS);
  /** What a real join's token carries beyond the ticket, for each event {@link #load} filled. */
  private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();

  /**
   * A loaded event's incarnation, and the epoch second in which each of its sequence numbers joined: the join
   * marks of its {@code joined} key (first sequence of a second to that second), read once after the load.
   */
  private record Loaded(long incarnation, NavigableMap<Long, Long> secondFrom) {}

  Bench(LocalRedis redis, Cpus cpus, Options options, Environment environment) {
    this.redis = redis;
    this.cpus = cpus;
    this.options = options;
    this.environment = environment;
  }

  /** The queue as an application builds it: FCALL of the library's functions (the default mode). */
  RedisWaitingQueue queue(UnifiedJedis client) {
    return queue(client, RedisWaitingQueue.ScriptMode.AUTO);
  }

  RedisWaitingQueue queue(UnifiedJedis client, RedisWaitingQueue.ScriptMode mode) {
    return RedisWaitingQueue.builder(client).config(config).scriptMode(mode).build();
  }

  /** The script call (FCALL, or EVALSHA in {@code EVAL} mode) that {@code call} makes, made for real and recorded. */
  ScriptCall record(RedisWaitingQueue.ScriptMode mode, java.util.function.Consumer<RedisWaitingQueue> call) {
    try (RecordingJedis recording = new RecordingJedis(redis.port())) {
      call.accept(queue(recording, mode));
      return recording.lastCall();
    }
  }

  /**
   * The waiting token of the user at {@code index} of an event filled by {@link #load} from sequence 1: the
   * token that user's join returned, with the join second and the event's incarnation (a token without the
   * join second would make status look it up, which real tokens never do).
   */
  String loadedToken(String eventId, long index) {
    Loaded event = loaded.get(eventId);
    if (event == null) {
      throw new IllegalStateException(eventId + " was not filled by Bench.load");
    }
    long sequence = index + 1;
    Map.Entry<Long, Long> mark = event.secondFrom().floorEntry(sequence);
    if (mark == null) {
      throw new IllegalStateException(eventId + " has no join mark for sequence " + sequence);
    }
    return tokens.waitingToken(new Ticket(eventId, Users.id(index), sequence, mark.getValue(), event.incarnation()));
  }

  /** The library's join call for {@code eventId}, recorded on a scratch event so the line stays empty. */
  ScriptCall joinCall(String eventId) {
    return joinCall(eventId, RedisWaitingQueue.ScriptMode.AUTO);
  }

  ScriptCall joinCall(String eventId, RedisWaitingQueue.ScriptMode mode) {
    String scratch = "recording-" + eventId;
    List<String> keys = new ArrayList<>();
    ScriptCall call = record(mode, q -> {
      q.join(scratch, PLACEHOLDER_USER);
      keys.addAll(q.keysOf(scratch));
    }).onEvent(scratch, eventId);
    try (Jedis admin = redis.admin()) {
      admin.del(keys.toArray(new String[0]));
    }
    return call;
  }

  /** Fills a fresh event with users 0 to count-1 through pipelined library join calls. */
  void load(String eventId, long count) {
    load(eventId, count, joinCall(eventId));
  }

  /** The same with the join call already recorded by {@link #joinCall}. */
  void load(String eventId, long count, ScriptCall join) {
    try (Jedis jedis = redis.admin()) {
      long joined = Loader.joinAll(jedis, join, PLACEHOLDER_USER, 0, count);
      if (joined != count) {
        throw new IllegalStateException(eventId + ": " + joined + " of " + count + " loaded users were new");
      }
      NavigableMap<Long, Long> secondFrom = new TreeMap<>();
      for (String mark : jedis.zrange(join.keys().get(3), 0, -1)) { // "<first sequence>:<second>"
        int colon = mark.indexOf(':');
        secondFrom.put(Long.parseLong(mark.substring(0, colon)), Long.parseLong(mark.substring(colon + 1)));
      }
      loaded.put(eventId, new Loaded(Long.parseLong(jedis.hget(join.keys().get(0), "inc")), secondFrom));
    }
  }

  CommandStats commandStats() {
    try (Jedis jedis = redis.admin()) {
      return CommandStats.parse(jedis.info("commandstats"));
    }
  }

  /** CPU seconds the Redis main thread has used (user + system), from INFO cpu. */
  double redisMainThreadCpuSeconds() {
    Map<String, String> cpu = redis.info("cpu");
    return Double.parseDouble(cpu.get("used_cpu_user_main_thread")) + Double.parseDouble(cpu.get("used_cpu_sys_main_thread"));
  }

  long usedMemory() {
    return LocalRedis.asLong(redis.info("memory"), "used_memory");
  }

  /** The command that reproduces one section's figures. */
  String command(String section) {
    return options.command() + " --only " + section;
  }

  /** Prints a section header: what it measures, the environment and the command that reproduces it. */
  void header(String section, String what) {
    System.out.println();
    System.out.println("== " + section + ": " + what);
    System.out.println("   " + environment.line());
    System.out.println("   reproduce: " + command(section));
    System.out.println("   machine load before it: " + loadAverage() + " (1/5/15-minute load average; other processes"
        + " on the machine slow every figure)");
  }

  /** The 1/5/15-minute load average, to tell a run on a busy machine from one on a quiet machine. */
  static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "?";
    }
  }

  static void print(String format, Object... args) {
    System.out.println("   " + String.format(Locale.ROOT, format, args));
  }

  /** p50/p95/p99/p99.9/max in milliseconds, and the count. */
  static Map<String, Object> percentiles(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", h.getTotalCount());
    m.put("p50_ms", h.getValueAtPercentile(50) / 1000.0);
    m.put("p95_ms", h.getValueAtPercentile(95) / 1000.0);
    m.put("p99_ms", h.getValueAtPercentile(99) / 1000.0);
    m.put("p99_9_ms", h.getValueAtPercentile(99.9) / 1000.0);
    m.put("max_ms", h.getMaxValue() / 1000.0);
    return m;
  }

  static String percentileLine(Histogram h) {
    return String.format(Locale.ROOT, "p50 %.3f  p95 %.3f  p99 %.3f  p99.9 %.3f  max %.3f ms  (n=%d)",
        h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(95) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0,
        h.getTotalCount());
  }

  static String verdict(boolean met) {
    return met ? "MET" : "MISSED";
  }
}
