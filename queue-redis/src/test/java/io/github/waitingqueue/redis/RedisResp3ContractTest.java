package io.github.waitingqueue.redis;

import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.WaitingQueueContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;

/** The contract again over a RESP3 connection: script replies must read the same as under RESP2. */
class RedisResp3ContractTest extends WaitingQueueContract {
  private static TestRedis redis;
  private static UnifiedJedis client;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
    client = RedisClient.builder()
        .hostAndPort(redis.host(), redis.port())
        .clientConfig(DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build())
        .build();
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
