package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.history.HistoryScenarios;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Concurrency histories of the Redis queue on a real Redis: small histories checked for
 * linearizability, and a stress history checked for every invariant. Longer with
 * {@code -Dhistories.seconds=120 -Dhistories.small=2000}.
 */
class RedisHistoryTest {
  private static TestRedis redis;
  private static UnifiedJedis client;
  private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
    client = redis.client();
  }

  @AfterAll
  static void stopRedis() {
    client.close();
    redis.close();
  }

  private static WaitingQueue queue(QueueConfig config) {
    return RedisWaitingQueue.builder(client).config(config).build();
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
}
