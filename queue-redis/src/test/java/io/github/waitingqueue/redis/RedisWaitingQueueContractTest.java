package io.github.waitingqueue.redis;

import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.WaitingQueueContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.UnifiedJedis;

/** The contract, run against the Redis implementation on a real standalone Redis. */
class RedisWaitingQueueContractTest extends WaitingQueueContract {
  private static TestRedis redis;
  private static UnifiedJedis client;

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

  @Override
  protected WaitingQueue newQueue(QueueConfig config) {
    return RedisWaitingQueue.builder(client).config(config).build();
  }
}
