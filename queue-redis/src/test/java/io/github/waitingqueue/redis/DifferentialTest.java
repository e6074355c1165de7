package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.InMemoryWaitingQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The in-memory queue and the Redis queue are one behaviour: random sequences of calls, lifecycle
 * changes and clock steps ({@link Generator}) run on both side by side ({@link Twin}), and every answer
 * must be equal, field by field, doubles included.
 *
 * <p>A difference fails the test with the sequence's seed, the step, both answers and every step so far,
 * then the same difference shrunk to a short sequence, printed as the Java a
 * {@link DifferentialRegressionTest} replays.
 *
 * <p>System properties: {@code wq.differential.sequences} (default 2,000), {@code wq.differential.steps}
 * (steps per sequence, default 40), {@code wq.differential.master} (the seed the sequences' seeds are
 * drawn from; random by default and logged), {@code wq.differential.seed} (replay that one sequence),
 * and {@code wq.differential.maxDifferences} (stop after this many, default 3).
 * For example {@code mvn -pl queue-redis -am verify -Dtest=DifferentialTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dwq.differential.sequences=100000}.
 */
@ExtendWith(RedisServerExtension.class)
class DifferentialTest {
  private static final Logger LOG = LoggerFactory.getLogger(DifferentialTest.class);
  private static final int SEQUENCES = Integer.getInteger("wq.differential.sequences", 2_000);
  private static final int STEPS = Integer.getInteger("wq.differential.steps", 40);
  private static final int MAX_DIFFERENCES = Integer.getInteger("wq.differential.maxDifferences", 3);
  /** Enough sequences to reach every kind of answer of {@link Coverage#REQUIRED} whatever the master seed. */
  private static final int SEQUENCES_THAT_REACH_EVERY_STATE = 1_000;

  @Test
  void inMemoryAndRedisAnswerEveryRandomSequenceAlike(UnifiedJedis client) {
    List<Long> seeds = seeds();
    long started = System.nanoTime();
    List<Twin.Mismatch> found = new ArrayList<>();
    Map<String, Long> seen = new TreeMap<>();
    int run = 0;
    for (long seed : seeds) {
      run++;
      Optional<Twin.Mismatch> differs = runSequence(client, seed, seen);
      if (differs.isPresent()) {
        found.add(differs.get());
        logShrunk(client, seed, differs.get());
      }
      if (found.size() >= MAX_DIFFERENCES) {
        break; // enough to read; the rest of the run would mostly repeat them
      }
    }
    LOG.info("{} sequences of up to {} steps in {} ms, {} differences", run, STEPS,
        (System.nanoTime() - started) / 1_000_000, found.size());
    LOG.info("kinds of answers seen, and how often: {}", seen);
    assertThat(found).as("sequences where the two implementations answered apart (details logged above)")
        .isEmpty();
    if (run >= SEQUENCES_THAT_REACH_EVERY_STATE) {
      assertThat(seen.keySet()).as("kinds of answers the sequences reached").containsAll(Coverage.REQUIRED);
    }
  }

  /** Logs a difference, and the shortest sequence the shrinker finds that still shows it, as Java. */
  private static void logShrunk(UnifiedJedis client, long seed, Twin.Mismatch mismatch) {
    Twin.Scenario scenario = new Generator(seed).scenario();
    Twin.Mismatch shrunk = new Shrinker(ops -> Twin.replay(client, scenario, ops), mismatch).shrink();
    LOG.error("{} and {} answered apart; sequence seed {} (replay: -Dwq.differential.seed={} "
        + "-Dwq.differential.steps={})\n{}\nshrunk to {} steps, at {}:\n  in-memory: {}\n  redis:     {}\n"
        + "replay({},\n{});", InMemoryWaitingQueue.class.getSimpleName(), RedisWaitingQueue.class.getSimpleName(),
        seed, seed, STEPS, mismatch, shrunk.steps().size(), shrunk.call(), shrunk.inMemory(), shrunk.onRedis(),
        scenario.source(), shrunk.stepsSource());
  }

  /** Runs one generated sequence; returns its first difference. */
  private static Optional<Twin.Mismatch> runSequence(UnifiedJedis client, long seed, Map<String, Long> seen) {
    Generator generator = new Generator(seed);
    try (Twin twin = new Twin(client, generator.scenario(), seen)) {
      List<Op> steps = new ArrayList<>();
      for (int step = 0; step < STEPS; step++) {
        steps.add(generator.next(twin));
        Optional<Twin.Mismatch> differs = twin.step(steps.get(step));
        if (differs.isPresent()) {
          return differs;
        }
      }
      // the end: every event's audit trail, which holds what each side did on its own (sweeps, expiries)
      for (int event = 0; event < generator.scenario().events(); event++) {
        Optional<Twin.Mismatch> differs = twin.step(Op.audit(event, 0, 10));
        if (differs.isPresent()) {
          return differs;
        }
      }
    }
    return Optional.empty();
  }

  private static List<Long> seeds() {
    Long one = Long.getLong("wq.differential.seed");
    if (one != null) {
      return List.of(one);
    }
    long master = Long.getLong("wq.differential.master", new SplittableRandom().nextLong());
    LOG.info("differential sequences from master seed {} (-Dwq.differential.master={})", master, master);
    SplittableRandom random = new SplittableRandom(master);
    List<Long> seeds = new ArrayList<>(SEQUENCES);
    for (int i = 0; i < SEQUENCES; i++) {
      seeds.add(random.nextLong());
    }
    return seeds;
  }
}
