package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.WaitingQueueContract;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract against a queue whose status calls are answered by its line mirror wherever the mirror
 * may answer, with a staleness bound of 0: the mirror catches up within each call, so every answer must
 * be exactly what Redis would say. Any difference in rank, state or heartbeat shows up as a failed clause.
 */
class RedisMirroredContractTest extends WaitingQueueContract {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.standalone();
  private static final List<RedisWaitingQueue> QUEUES = new CopyOnWriteArrayList<>();

  @Override
  protected WaitingQueue newQueue(QueueConfig config) {
    RedisWaitingQueue queue = RedisWaitingQueue.builder(REDIS.client()).config(config).lineMirror(Duration.ZERO).build();
    QUEUES.add(queue);
    return queue;
  }

  /** Without this, a suite where the mirror never answered would pass as well as one where it always did. */
  @AfterAll
  static void theMirrorAnsweredSomeOfTheContractsStatusCalls() {
    assertThat(QUEUES.stream().mapToLong(RedisWaitingQueue::mirroredStatusCount).sum()).isGreaterThan(500);
  }
}
