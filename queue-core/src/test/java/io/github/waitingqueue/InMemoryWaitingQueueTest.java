package io.github.waitingqueue;

/** The contract, run against the in-memory implementation. */
class InMemoryWaitingQueueTest extends WaitingQueueContract {
  @Override
  protected WaitingQueue newQueue(QueueConfig config) {
    return InMemoryWaitingQueue.create(config);
  }
}
