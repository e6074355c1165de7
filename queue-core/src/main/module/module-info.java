/**
 * waiting-queue's API and in-memory implementation. Exports {@code io.github.waitingqueue} only; the
 * internals shared with the Redis implementation (tokens, identifier checks, the rules of the queue)
 * are exported to that module alone.
 */
module io.github.waitingqueue {
  requires org.slf4j;

  exports io.github.waitingqueue;
  exports io.github.waitingqueue.internal to io.github.waitingqueue.redis;
}
