package io.github.waitingqueue.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisSentinelClient;

/**
 * A real Sentinel deployment for tests on 127.0.0.1: a master, one replica, and one Sentinel (quorum 1)
 * that fails over after {@value #DOWN_AFTER_MS} ms. {@link #close()} stops every process it started.
 */
public final class TestSentinel implements AutoCloseable {
  /** The name the Sentinel monitors the master under. */
  public static final String MASTER_NAME = "wq-master";
  /** How long the master may be unreachable before the Sentinel fails over. */
  public static final int DOWN_AFTER_MS = 1_000;

  private final TestRedis master;
  private final TestRedis replica;
  private final Process sentinel;
  private final int sentinelPort;

  private TestSentinel(TestRedis master, TestRedis replica, Process sentinel, int sentinelPort) {
    this.master = master;
    this.replica = replica;
    this.sentinel = sentinel;
    this.sentinelPort = sentinelPort;
  }

  /**
   * Starts the master, the replica and the Sentinel, and waits until the Sentinel knows the replica.
   *
   * @return the deployment
   */
  public static TestSentinel start() {
    TestRedis master = TestRedis.startLocal(List.of());
    TestRedis replica = null;
    Process sentinel = null;
    try {
      replica = TestRedis.startLocal(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
      TestRedis r = replica;
      TestCluster.awaitCondition(Duration.ofSeconds(10), () -> {
        try (Jedis j = TestCluster.admin(r)) {
          return j.info("replication").contains("master_link_status:up");
        }
      }, () -> "replica never synchronised");
      int port;
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path dir = Files.createTempDirectory("wq-sentinel-");
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(conf, String.join("\n",
          "port " + port,
          "bind 127.0.0.1",
          "dir " + dir,
          "logfile " + dir.resolve("sentinel.log"),
          "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
          "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MS,
          "sentinel failover-timeout " + MASTER_NAME + " 5000",
          ""));
      sentinel = new ProcessBuilder("redis-server", conf.toString(), "--sentinel").redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.log").toFile()).start();
      Process s = sentinel;
      Runtime.getRuntime().addShutdownHook(new Thread(s::destroyForcibly));
      TestSentinel deployment = new TestSentinel(master, replica, sentinel, port);
      TestCluster.awaitCondition(Duration.ofSeconds(15), deployment::sentinelKnowsTheReplica,
          () -> "the Sentinel did not discover the replica");
      return deployment;
    } catch (IOException | RuntimeException e) {
      master.close();
      if (replica != null) {
        replica.close();
      }
      if (sentinel != null) {
        sentinel.destroyForcibly();
      }
      throw new IllegalStateException("cannot start a Sentinel deployment: " + e.getMessage(), e);
    }
  }

  private boolean sentinelKnowsTheReplica() {
    try (Jedis j = new Jedis(new HostAndPort("127.0.0.1", sentinelPort),
        DefaultJedisClientConfig.builder().timeoutMillis(1_000).autoNegotiateProtocol(false).build())) {
      Object replicas = TestCluster.command(j, "SENTINEL", "REPLICAS", MASTER_NAME);
      return replicas instanceof List && !((List<?>) replicas).isEmpty();
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  /**
   * The port the Sentinel's current master answers on, as the Sentinel says.
   *
   * @return the port
   */
  public int currentMasterPort() {
    try (Jedis j = new Jedis(new HostAndPort("127.0.0.1", sentinelPort),
        DefaultJedisClientConfig.builder().timeoutMillis(1_000).autoNegotiateProtocol(false).build())) {
      List<?> addr = (List<?>) TestCluster.command(j, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
      return Integer.parseInt(new String((byte[]) addr.get(1), java.nio.charset.StandardCharsets.US_ASCII));
    }
  }

  /**
   * The master at start.
   *
   * @return the master
   */
  public TestRedis master() {
    return master;
  }

  /**
   * The replica at start.
   *
   * @return the replica
   */
  public TestRedis replica() {
    return replica;
  }

  /**
   * A Sentinel-aware client with a short timeout.
   *
   * @param timeoutMillis connect and socket timeout
   * @return a new client; the caller closes it
   */
  public RedisSentinelClient client(int timeoutMillis) {
    return RedisSentinelClient.builder()
        .masterName(MASTER_NAME)
        .sentinels(Set.of(new HostAndPort("127.0.0.1", sentinelPort)))
        .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(timeoutMillis).build())
        .sentinelClientConfig(DefaultJedisClientConfig.builder().timeoutMillis(timeoutMillis).build())
        .build();
  }

  @Override
  public void close() {
    sentinel.destroy();
    master.close();
    replica.close();
    try {
      if (!sentinel.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        sentinel.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sentinel.destroyForcibly();
    }
  }
}
