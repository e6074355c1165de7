package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.history.HistoryScenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Concurrency histories of the Redis queue on a real Redis: small histories checked for
 * linearizability, and a stress history checked for every invariant. Longer with
 * {@code -Dhistories.seconds=120 -Dhistories.small=2000}.
 */
class RedisHistoryTest {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.standalone();
  private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

  private static WaitingQueue queue(QueueConfig config) {
    return RedisWaitingQueue.builder(REDIS.client()).config(config).build();
  }

  @Test
  void smallConcurrentHistoriesAreLinearizable() throws Exception {
    long calls = HistoryScenarios.smallHistoriesAreLinearizable(RedisHistoryTest::queue, "lin-" + RUN,
        HistoryScenarios.smallHistories());
    assertThat(calls).isGreaterThan(1_000);
  }

  @Test
  void aStressHistoryKeepsEveryInvariant() throws Exception {
    try (WaitingQueue queue = queue(QueueConfig.builder().signingKeys(HistoryScenarios.KEYS).build())) {
      HistoryScenarios.stressHistoryKeepsEveryInvariant(queue, "stress-" + RUN, HistoryScenarios.stressDuration());
    }
  }

  @Test
  void aStressHistoryWithLanesKeepsPositionsExactAcrossLanes() throws Exception {
    try (WaitingQueue queue = queue(QueueConfig.builder().signingKeys(HistoryScenarios.KEYS).build())) {
      HistoryScenarios.laneStressHistoryKeepsEveryInvariant(java.util.List.of(queue), queue, "lanes-" + RUN,
          HistoryScenarios.stressDuration(), java.time.Duration.ZERO);
    }
  }
}
