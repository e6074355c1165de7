package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.WaitingQueueContract;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The whole contract, run against the Redis implementation on a real Redis Cluster of three masters with
 * one replica each, through Jedis's {@link RedisClusterClient}. Every test of the contract uses its own
 * event, so the suite's events land on all three shards.
 */
class RedisClusterContractTest extends WaitingQueueContract {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.cluster();

  @Override
  protected WaitingQueue newQueue(QueueConfig config) {
    return RedisWaitingQueue.builder(REDIS.client()).config(config).build();
  }

  @Test
  void manyEventsSpreadOverEveryMasterAndEachLivesWhollyOnOne(TestCluster cluster) {
    RedisWaitingQueue redisQueue = (RedisWaitingQueue) queue;
    Map<Integer, Set<String>> eventsByMasterPort = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      String eventId = newEventId();
      queue.join(eventId, "alice");
      queue.join(eventId, "bob");
      queue.enter(queue.join(eventId, "alice").waitingToken());
      List<String> keys = redisQueue.keysOf(eventId);
      int slot = JedisClusterCRC16.getSlot(keys.get(0));
      TestRedis master = cluster.masterOf(slot);
      try (Jedis jedis = TestCluster.admin(master)) {
        assertThat(jedis.exists(keys.get(0))).as("%s on the master of slot %d", keys.get(0), slot).isTrue();
      }
      assertThat(keys).allSatisfy(key -> assertThat(JedisClusterCRC16.getSlot(key)).isEqualTo(slot));
      eventsByMasterPort.computeIfAbsent(master.port(), p -> new HashSet<>()).add(eventId);
    }
    assertThat(eventsByMasterPort).as("events per master").hasSize(3);
    assertThat(eventsByMasterPort.values()).allSatisfy(events -> assertThat(events).hasSizeGreaterThan(5));
  }

  @Test
  void smallConcurrentHistoriesOnTheClusterAreLinearizable(UnifiedJedis client) throws Exception {
    assertThat(io.github.waitingqueue.history.HistoryScenarios.smallHistoriesAreLinearizable(
        config -> RedisWaitingQueue.builder(client).config(config).build(), newEventId() + "-lin", 60))
        .isGreaterThan(500);
  }
}
