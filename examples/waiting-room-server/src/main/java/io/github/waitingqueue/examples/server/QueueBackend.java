package io.github.waitingqueue.examples.server;

import io.github.waitingqueue.InMemoryWaitingQueue;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.redis.RedisWaitingQueue;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The queue the server runs on: Redis when it answers at start, otherwise (when allowed) the in-memory
 * implementation, so that a newcomer without Redis still gets a working server.
 */
public final class QueueBackend implements AutoCloseable {
  final WaitingQueue queue;
  /** The Redis client, or empty on the in-memory queue. */
  final Optional<UnifiedJedis> redis;
  /** "Redis at URL" or "the in-memory queue". */
  final String description;
  /** Why Redis was not used, or null when it is. */
  final String redisFailure;
  /** Whether this backend made the client, and so closes it. */
  private final boolean ownsClient;

  private QueueBackend(WaitingQueue queue, Optional<UnifiedJedis> redis, String description, String redisFailure,
      boolean ownsClient) {
    this.queue = queue;
    this.redis = redis;
    this.description = description;
    this.redisFailure = redisFailure;
    this.ownsClient = ownsClient;
  }

  /**
   * On a client the application already has (its own pool, Sentinel or Cluster client); it stays the
   * application's to close.
   *
   * @param client the client
   * @param keyPrefix prefix of the queue's keys
   * @param lineMirror the line mirror's staleness bound, or null for none
   * @param config the queue's configuration
   * @return the backend
   */
  static QueueBackend on(UnifiedJedis client, String keyPrefix, Duration lineMirror, QueueConfig config) {
    return new QueueBackend(builder(client, keyPrefix, lineMirror).config(config).build(), Optional.of(client),
        "Redis (the application's client)", null, false);
  }

  /**
   * Connects to Redis, or falls back to memory when it does not answer a PING and that is allowed.
   *
   * @param redis the URL, pool size and fallback choice
   * @param keyPrefix prefix of the queue's keys
   * @param config the queue's configuration
   * @return the backend
   * @throws redis.clients.jedis.exceptions.JedisException when Redis does not answer and no fallback is allowed
   * @throws InvalidQueuePropertyException for a malformed URL or key prefix
   */
  static QueueBackend connect(WaitingQueueProperties.Redis redis, String keyPrefix, QueueConfig config) {
    return connect(redis, keyPrefix, null, config);
  }

  /**
   * As {@link #connect(WaitingQueueProperties.Redis, String, QueueConfig)}, with the library's line mirror.
   *
   * @param redis the URL, pool size and fallback choice
   * @param keyPrefix prefix of the queue's keys
   * @param lineMirror the line mirror's staleness bound, or null for none
   * @param config the queue's configuration
   * @return the backend
   */
  static QueueBackend connect(WaitingQueueProperties.Redis redis, String keyPrefix, Duration lineMirror,
      QueueConfig config) {
    checkUrl(redis.url());
    RedisClient client = null;
    try {
      ConnectionPoolConfig pool = new ConnectionPoolConfig();
      pool.setMaxTotal(redis.poolSize());
      pool.setMaxIdle(redis.poolSize());
      // A request waits this long for a connection, then gets 503 rather than hanging.
      pool.setMaxWait(Duration.ofSeconds(2));
      client = RedisClient.builder().fromURI(redis.url()).poolConfig(pool).build();
      client.ping();
    } catch (RuntimeException e) {
      if (client != null) {
        client.close();
      }
      if (!redis.fallbackToMemory()) {
        throw e;
      }
      return new QueueBackend(InMemoryWaitingQueue.create(config), Optional.empty(), "the in-memory queue",
          String.valueOf(e.getMessage()), false);
    }
    try {
      return new QueueBackend(builder(client, keyPrefix, lineMirror).config(config).build(), Optional.of(client),
          "Redis at " + redis.url(), null, true);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** A malformed URL is a configuration error, not a Redis that does not answer. */
  private static void checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url == null ? "" : url.trim());
    } catch (URISyntaxException e) {
      throw new InvalidQueuePropertyException("waitingqueue.redis.url", "not a URL: " + e.getMessage());
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new InvalidQueuePropertyException("waitingqueue.redis.url",
          "must be redis://host:port or rediss://host:port, got '" + url + "'");
    }
  }

  private static RedisWaitingQueue.Builder builder(UnifiedJedis client, String keyPrefix, Duration lineMirror) {
    RedisWaitingQueue.Builder builder;
    try {
      builder = RedisWaitingQueue.builder(client).keyPrefix(keyPrefix);
    } catch (IllegalArgumentException e) {
      throw new InvalidQueuePropertyException("waitingqueue.key-prefix", e.getMessage());
    }
    if (lineMirror != null) {
      try {
        builder.lineMirror(lineMirror);
      } catch (IllegalArgumentException e) {
        throw new InvalidQueuePropertyException("waitingqueue.line-mirror", e.getMessage());
      }
    }
    return builder;
  }

  /**
   * Whether the queue is on Redis.
   *
   * @return false on the in-memory fallback
   */
  public boolean onRedis() {
    return redis.isPresent();
  }

  /**
   * Where the queue lives, for people.
   *
   * @return "Redis at URL" or "the in-memory queue"
   */
  public String description() {
    return description;
  }

  @Override
  public void close() {
    queue.close();
    if (ownsClient) {
      redis.ifPresent(UnifiedJedis::close);
    }
  }
}
