package io.github.waitingqueue.redis;

import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.WaitingQueueContract;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisProtocol;

/** The contract again over a RESP3 connection: script replies must read the same as under RESP2. */
class RedisResp3ContractTest extends WaitingQueueContract {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.standalone().protocol(RedisProtocol.RESP3);

  @Override
  protected WaitingQueue newQueue(QueueConfig config) {
    return RedisWaitingQueue.builder(REDIS.client()).config(config).build();
  }
}
