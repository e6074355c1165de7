/** waiting-queue on Redis: {@code io.github.waitingqueue.redis.RedisWaitingQueue} over Jedis. */
module io.github.waitingqueue.redis {
  requires transitive io.github.waitingqueue;
  requires transitive redis.clients.jedis;
  requires org.slf4j;

  exports io.github.waitingqueue.redis;
}
