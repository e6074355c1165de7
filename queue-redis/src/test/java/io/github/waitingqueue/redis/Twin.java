package io.github.waitingqueue.redis;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.InMemoryWaitingQueue;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.TestClock;
import io.github.waitingqueue.WaitingQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@link InMemoryWaitingQueue} and {@link RedisWaitingQueue} side by side: one {@link TestClock} that both
 * read, a {@link Random} each with the same seed (both draw once per join, so pre-queue places match),
 * the same signing keys and default settings, and fresh event ids. Each {@link #step(Op)} runs on both
 * and compares what they returned, field by field (the result types are records or have
 * {@code equals}); a thrown exception compares by its class.
 */
final class Twin implements AutoCloseable {
  /** The keys both sides sign with, so that their tokens are the same strings. */
  static final SigningKeys KEYS = SigningKeys.ofText("diff", "differential-test-secret-at-least-32-bytes");
  private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);
  // every twin gets events of its own, also when a shrinking replays one seed many times on one server
  private static final AtomicLong TWINS = new AtomicLong();

  private final TestClock clock;
  private final Side memory;
  private final Side redis;
  private final List<Op> done = new ArrayList<>();
  private final Map<String, Long> seen;

  /**
   * Starts both queues for one sequence.
   *
   * @param client the Redis the Redis side runs on
   * @param scenario the seed, the default settings, the clock's start and the number of events
   */
  Twin(UnifiedJedis client, Scenario scenario) {
    this(client, scenario, new HashMap<>());
  }

  /**
   * Starts both queues for one sequence, noting the kinds of answers they give.
   *
   * @param client the Redis the Redis side runs on
   * @param scenario the seed, the default settings, the clock's start and the number of events
   * @param seen where the kinds of answers are counted ({@link Coverage#of})
   */
  Twin(UnifiedJedis client, Scenario scenario, Map<String, Long> seen) {
    this.seen = seen;
    this.clock = new TestClock(TestClock.START_MILLIS + scenario.clockOffsetMillis());
    List<String> events = new ArrayList<>();
    String prefix = "d" + RUN + "-" + Long.toUnsignedString(scenario.seed(), 36) + "-" + TWINS.incrementAndGet();
    for (int i = 0; i < scenario.events(); i++) {
      events.add(prefix + "-" + i);
    }
    List<String> ids = List.copyOf(events);
    this.memory = new Side(InMemoryWaitingQueue.create(config(scenario)), clock, ids);
    this.redis = new Side(RedisWaitingQueue.builder(client).config(config(scenario)).build(), clock, ids);
  }

  private QueueConfig config(Scenario scenario) {
    return QueueConfig.builder().signingKeys(KEYS).defaultEventSettings(scenario.defaults()).clock(clock)
        .random(new Random(scenario.seed())).build();
  }

  /** The in-memory side, for a generator that looks at the state to choose the next step. */
  Side memory() {
    return memory;
  }

  TestClock clock() {
    return clock;
  }

  /**
   * Runs a step on both sides (or moves the clock), then compares the answers, and the stats of the event
   * it called on (stats change nothing on either side, so reading them cannot hide or cause a difference;
   * a step changes no other event, and what time alone changes shows when a later step calls there).
   *
   * @param op the step
   * @return the first difference, or empty when both answered alike
   */
  Optional<Mismatch> step(Op op) {
    done.add(op);
    if (op instanceof Op.Advance) {
      clock.advanceMillis(((Op.Advance) op).millis());
      return Optional.empty();
    }
    Object answer = run(memory, op);
    note(op, answer);
    Optional<Mismatch> differs = compare(op.toString(), answer, run(redis, op));
    if (differs.isPresent()) {
      return differs;
    }
    Op stats = Op.stats(op.event());
    Object counters = run(memory, stats);
    note(stats, counters);
    return compare("then " + stats, counters, run(redis, stats));
  }

  /**
   * Makes one call on both sides as it is, for what {@link Op} leaves out (the audit trail's entry ids).
   *
   * @param call the call
   * @return what the in-memory side answered, then what the Redis side answered
   */
  List<Object> onBoth(Function<WaitingQueue, Object> call) {
    return List.of(call.apply(memory.queue()), call.apply(redis.queue()));
  }

  /**
   * An event id of this twin.
   *
   * @param event the number a step names it by
   * @return the id both sides use
   */
  String eventId(int event) {
    return memory.eventId(event);
  }

  private void note(Op op, Object answer) {
    for (String kind : Coverage.of(op, answer)) {
      seen.merge(kind, 1L, Long::sum);
    }
  }

  private static Object run(Side side, Op op) {
    try {
      return op.run(side);
    } catch (RuntimeException e) {
      return new Threw(e);
    }
  }

  private Optional<Mismatch> compare(String call, Object inMemory, Object onRedis) {
    return Objects.equals(inMemory, onRedis) ? Optional.empty()
        : Optional.of(new Mismatch(List.copyOf(done), call, inMemory, onRedis));
  }

  @Override
  public void close() {
    memory.queue().close();
    redis.queue().close();
  }

  /**
   * Replays steps on a new twin.
   *
   * @param client the Redis
   * @param scenario the sequence's set-up
   * @param ops the steps
   * @return the first difference, or empty
   */
  static Optional<Mismatch> replay(UnifiedJedis client, Scenario scenario, List<Op> ops) {
    try (Twin twin = new Twin(client, scenario)) {
      for (Op op : ops) {
        Optional<Mismatch> differs = twin.step(op);
        if (differs.isPresent()) {
          return differs;
        }
      }
      return Optional.empty();
    }
  }

  /**
   * What a sequence starts from.
   *
   * @param seed the sequence's seed: of the generator, and of both queues' random draws
   * @param defaults the default settings of both queues (events created by a join or a lifecycle call)
   * @param clockOffsetMillis where the clock starts after {@link TestClock#START_MILLIS}
   * @param events how many events the steps name
   */
  record Scenario(long seed, EventSettings defaults, long clockOffsetMillis, int events) {
    /** The Java source of this scenario, for a regression test. */
    String source() {
      return "new Scenario(" + seed + "L, " + Op.source(defaults) + ", " + clockOffsetMillis + ", " + events + ")";
    }
  }

  /** An exception, compared by its class alone: the messages of the two sides may be worded apart. */
  static final class Threw {
    final RuntimeException exception;

    Threw(RuntimeException exception) {
      this.exception = exception;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Threw && ((Threw) o).exception.getClass() == exception.getClass();
    }

    @Override
    public int hashCode() {
      return exception.getClass().hashCode();
    }

    @Override
    public String toString() {
      return "threw " + exception;
    }
  }

  /**
   * Where the two sides answered apart.
   *
   * @param steps every step up to and including the one that differed
   * @param call the call that answered apart: the step, or the stats read after it
   * @param inMemory what the in-memory queue answered
   * @param onRedis what the Redis queue answered
   */
  record Mismatch(List<Op> steps, String call, Object inMemory, Object onRedis) {
    private static final int PRINTED_ENDS = 100;

    /** Whether another mismatch is the same difference: the same call and the same answer on each side. */
    boolean sameKindAs(Mismatch other) {
      return kind(call).equals(kind(other.call)) && kind(String.valueOf(inMemory)).equals(kind(String.valueOf(other.inMemory)))
          && kind(String.valueOf(onRedis)).equals(kind(String.valueOf(other.onRedis)));
    }

    // the shape of an answer: its words without the numbers and tokens in it
    private static String kind(String s) {
      return s.replaceAll("[0-9]", "").replaceAll("[A-Za-z0-9_-]{30,}\\.[A-Za-z0-9_-]+", "TOKEN");
    }

    /** The steps as Java, one a line, as {@link DifferentialRegressionTest} lists them. */
    String stepsSource() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < steps.size(); i++) {
        if (i == PRINTED_ENDS && steps.size() > 2 * PRINTED_ENDS) {
          // a regression test's loop of thousands of steps: its ends say enough
          sb.append("    // ... ").append(steps.size() - 2 * PRINTED_ENDS).append(" more steps ...\n");
          i = steps.size() - PRINTED_ENDS;
        }
        sb.append("    ").append(steps.get(i)).append(i + 1 < steps.size() ? ",\n" : "");
      }
      return sb.toString();
    }

    @Override
    public String toString() {
      return "step " + steps.size() + ": " + call + "\n  in-memory: " + inMemory + "\n  redis:     " + onRedis
          + "\nsteps:\n" + stepsSource();
    }
  }
}
