package io.github.waitingqueue.redis;

import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.WaitingQueueContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract, run against the Redis implementation on a real standalone Redis. */
class RedisWaitingQueueContractTest extends WaitingQueueContract {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.standalone();

  @Override
  protected WaitingQueue newQueue(QueueConfig config) {
    return RedisWaitingQueue.builder(REDIS.client()).config(config).build();
  }
}
