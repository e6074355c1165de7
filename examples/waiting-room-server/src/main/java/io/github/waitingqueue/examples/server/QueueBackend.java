package io.github.waitingqueue.examples.server;

import io.github.waitingqueue.InMemoryWaitingQueue;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.redis.RedisWaitingQueue;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;

/**
 * The queue the server runs on: Redis when it answers at start, otherwise the in-memory implementation, so
 * that a newcomer without Redis still gets a working server.
 */
final class QueueBackend implements AutoCloseable {
  /** Concurrent Redis connections: enough for a busy demo, small enough for a laptop's Redis. */
  private static final int POOL_SIZE = 64;

  final WaitingQueue queue;
  final boolean redis;
  /** "Redis at URL" or "the in-memory queue". */
  final String description;
  /** Why Redis was not used, or null when it is. */
  final String redisFailure;
  private final RedisClient client;

  private QueueBackend(WaitingQueue queue, String description, String redisFailure, RedisClient client) {
    this.queue = queue;
    this.redis = redisFailure == null;
    this.description = description;
    this.redisFailure = redisFailure;
    this.client = client;
  }

  /**
   * Connects to Redis, or falls back to memory when it does not answer a PING.
   *
   * @param redisUrl the Redis URL
   * @param config the queue's configuration
   * @return the backend
   */
  static QueueBackend connect(String redisUrl, QueueConfig config) {
    RedisClient client = null;
    String failure;
    try {
      ConnectionPoolConfig pool = new ConnectionPoolConfig();
      pool.setMaxTotal(POOL_SIZE);
      pool.setMaxIdle(POOL_SIZE);
      // A request waits this long for a connection, then gets 503 rather than hanging.
      pool.setMaxWait(Duration.ofSeconds(2));
      client = RedisClient.builder().fromURI(redisUrl).poolConfig(pool).build();
      client.ping();
      return new QueueBackend(RedisWaitingQueue.builder(client).config(config).build(), "Redis at " + redisUrl,
          null, client);
    } catch (RuntimeException e) {
      failure = e.getMessage();
      if (client != null) {
        client.close();
      }
    }
    return new QueueBackend(InMemoryWaitingQueue.create(config), "the in-memory queue", failure, null);
  }

  @Override
  public void close() {
    queue.close();
    if (client != null) {
      client.close();
    }
  }
}
