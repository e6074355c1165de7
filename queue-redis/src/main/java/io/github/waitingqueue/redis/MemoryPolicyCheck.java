package io.github.waitingqueue.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Reads {@code maxmemory-policy} on every node the client reaches. An {@code allkeys-*} policy lets
 * Redis evict an event's keys (its reservations, its settings, its line) as if they were a cache:
 * capacity is then exceeded and events come back empty. The queue's keys have no expiry, so
 * {@code noeviction} and the {@code volatile-*} policies never touch them.
 */
final class MemoryPolicyCheck {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryPolicyCheck.class);

  private MemoryPolicyCheck() {}

  /** Whether a policy may evict keys that have no expiry. */
  static boolean evicts(String policy) {
    return policy.startsWith("allkeys-");
  }

  /**
   * Checks every node: refuses (throws) or logs an error once per node with an evicting policy. A node
   * that cannot be asked (CONFIG refused, or unreachable now) is logged and passed.
   *
   * @throws IllegalStateException when {@code refuse} and a node may evict
   */
  static void check(UnifiedJedis redis, boolean refuse) {
    List<String> evicting = new ArrayList<>();
    for (Map.Entry<String, String> node : policies(redis).entrySet()) {
      String policy = node.getValue();
      if (policy != null && evicts(policy)) {
        evicting.add(node.getKey() + " has maxmemory-policy " + policy);
        if (!refuse) {
          LOG.error("wq Redis node {} has maxmemory-policy {}: it may evict waiting-queue's keys (reservations, "
              + "settings, lines); use noeviction or a volatile-* policy", node.getKey(), policy);
        }
      }
    }
    if (refuse && !evicting.isEmpty()) {
      throw new IllegalStateException("Redis may evict waiting-queue's keys: " + String.join("; ", evicting)
          + ". Set maxmemory-policy to noeviction (or a volatile-* policy), or build the queue with "
          + "refuseEvictingMemoryPolicy(false) to only log this");
    }
  }

  /** Node name to policy; null where it could not be read. */
  private static Map<String, String> policies(UnifiedJedis redis) {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, ConnectionPool> nodes = null;
    if (redis instanceof RedisClusterClient) {
      nodes = ((RedisClusterClient) redis).getClusterNodes();
    } else if (redis instanceof JedisCluster) {
      nodes = ((JedisCluster) redis).getClusterNodes();
    }
    if (nodes == null) {
      out.put("redis", read("redis", () -> redis.configGet("maxmemory-policy")));
      return out;
    }
    for (Map.Entry<String, ConnectionPool> node : nodes.entrySet()) {
      out.put(node.getKey(), read(node.getKey(), () -> {
        try (Jedis jedis = new Jedis(node.getValue().getResource())) {
          return jedis.configGet("maxmemory-policy");
        }
      }));
    }
    return out;
  }

  private interface ConfigRead {
    Map<String, String> get();
  }

  private static String read(String node, ConfigRead read) {
    try {
      return read.get().get("maxmemory-policy");
    } catch (JedisConnectionException e) {
      LOG.warn("wq could not reach Redis node {} to check maxmemory-policy: {}", node, e.getMessage());
    } catch (JedisException e) {
      LOG.info("wq could not read maxmemory-policy on Redis node {} ({}); make sure it is noeviction or "
          + "volatile-*", node, e.getMessage());
    }
    return null;
  }
}
