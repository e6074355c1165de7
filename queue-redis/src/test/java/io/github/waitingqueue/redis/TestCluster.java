package io.github.waitingqueue.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real Redis Cluster for tests: {@code redis-server} processes on free ports of 127.0.0.1, each with its
 * own directory, joined by {@code redis-cli --cluster create --cluster-replicas 1}. Three masters with one
 * replica each by default. {@link #close()} stops every process it started, and a JVM shutdown hook does
 * the same if a test run is cut short. It never skips: without {@code redis-server} and {@code redis-cli}
 * on the PATH it fails with instructions.
 */
public final class TestCluster implements AutoCloseable {
  /** How long a node may be unreachable before its replica is promoted; short so failover tests are quick. */
  public static final int NODE_TIMEOUT_MS = 1_000;

  private final List<TestRedis> nodes;

  private TestCluster(List<TestRedis> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts three masters with one replica each and waits until the cluster is ready.
   *
   * @return the running cluster
   * @throws IllegalStateException when the cluster cannot be formed, with the reason
   */
  public static TestCluster start() {
    return start(3, 1);
  }

  /**
   * Starts a cluster and waits until every node reports {@code cluster_state:ok}, knows every other node,
   * and every replica has synchronised with its master.
   *
   * @param masters number of masters, 3 or more
   * @param replicasPerMaster replicas of each master
   * @return the running cluster
   */
  public static TestCluster start(int masters, int replicasPerMaster) {
    int total = masters * (1 + replicasPerMaster);
    List<TestRedis> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < total; i++) {
        nodes.add(TestRedis.startLocal(List.of("--cluster-enabled", "yes",
            "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MS),
            // a replica may be promoted however long its master has been gone: failover tests kill masters
            "--cluster-replica-validity-factor", "0",
            // serve the slots that are still covered while a master is down, as a sale would want
            "--cluster-require-full-coverage", "no")));
      }
      TestCluster cluster = new TestCluster(nodes);
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
      List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (TestRedis node : nodes) {
        command.add("127.0.0.1:" + node.port());
      }
      command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
      run(command);
      cluster.awaitReady(Duration.ofSeconds(30));
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(TestRedis::close);
      throw e;
    }
  }

  /**
   * Every node, masters and replicas, in the order they were started.
   *
   * @return the nodes
   */
  public List<TestRedis> nodes() {
    return nodes;
  }

  /**
   * A cluster client on the first node; it discovers the rest. Short timeouts, so that tests of failures
   * see them quickly: 2 s socket timeout, 5 attempts within 6 s.
   *
   * @return a new client; the caller closes it
   */
  public RedisClusterClient client() {
    return client(2_000, 5, Duration.ofSeconds(6));
  }

  /**
   * A cluster client with the given timeouts.
   *
   * @param timeoutMillis connect and socket timeout
   * @param maxAttempts attempts per command across redirections and connection failures
   * @param maxTotalRetries time budget of one command's retries
   * @return a new client; the caller closes it
   */
  public RedisClusterClient client(int timeoutMillis, int maxAttempts, Duration maxTotalRetries) {
    Set<HostAndPort> seeds = new HashSet<>();
    for (TestRedis node : nodes) {
      if (node.process().isAlive()) {
        seeds.add(new HostAndPort("127.0.0.1", node.port()));
      }
    }
    return RedisClusterClient.builder()
        .nodes(seeds)
        .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(timeoutMillis).build())
        .maxAttempts(maxAttempts)
        .maxTotalRetriesDuration(maxTotalRetries)
        .build();
  }

  /**
   * A plain connection to one node, for admin commands (SCRIPT FLUSH, CLUSTER SETSLOT, MIGRATE).
   *
   * @param node a node of this cluster
   * @return a new connection; the caller closes it
   */
  public static Jedis admin(TestRedis node) {
    return new Jedis(new HostAndPort("127.0.0.1", node.port()),
        DefaultJedisClientConfig.builder().timeoutMillis(5_000).autoNegotiateProtocol(false).build());
  }

  /**
   * Sends any command on an admin connection, for those Jedis has no method for.
   *
   * @param jedis the connection
   * @param name the command name
   * @param args its arguments
   * @return the raw reply
   */
  public static Object command(Jedis jedis, String name, String... args) {
    byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
    return jedis.sendCommand(() -> raw, args);
  }

  /**
   * The live node that serves a slot as master, as the cluster sees it now.
   *
   * @param slot a hash slot
   * @return the master serving it
   * @throws IllegalStateException when no live node claims it
   */
  public TestRedis masterOf(int slot) {
    for (TestRedis node : liveNodes()) {
      try (Jedis jedis = admin(node)) {
        if (!jedis.info("replication").contains("role:master")) {
          continue;
        }
        for (String line : jedis.clusterNodes().split("\n")) {
          String[] f = line.split(" ");
          if (f.length > 8 && f[2].contains("myself")) {
            for (int i = 8; i < f.length; i++) {
              if (f[i].startsWith("[")) {
                continue;
              }
              String[] range = f[i].split("-");
              int from = Integer.parseInt(range[0]);
              int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
              if (slot >= from && slot <= to) {
                return node;
              }
            }
          }
        }
      } catch (JedisException dying) {
        // a node being killed: not a master any more
      }
    }
    throw new IllegalStateException("no live master serves slot " + slot);
  }

  /**
   * The live masters.
   *
   * @return the nodes whose role is master
   */
  public List<TestRedis> masters() {
    List<TestRedis> masters = new ArrayList<>();
    for (TestRedis node : liveNodes()) {
      try (Jedis jedis = admin(node)) {
        if (jedis.info("replication").contains("role:master")) {
          masters.add(node);
        }
      } catch (JedisException dying) {
        // a node being killed: not a master any more
      }
    }
    return masters;
  }

  /**
   * The nodes whose process still runs.
   *
   * @return live nodes
   */
  public List<TestRedis> liveNodes() {
    List<TestRedis> live = new ArrayList<>();
    for (TestRedis node : nodes) {
      if (node.process().isAlive()) {
        live.add(node);
      }
    }
    return live;
  }

  /**
   * Waits until every live node reports {@code cluster_state:ok}, sees the same number of live masters
   * covering all 16384 slots, and every replica's link to its master is up.
   *
   * @param timeout how long to wait
   * @throws IllegalStateException when the cluster is not ready in time, with each node's view
   */
  public void awaitReady(Duration timeout) {
    awaitCondition(timeout, this::ready, () -> "cluster not ready: " + views());
  }

  private boolean ready() {
    List<TestRedis> live = liveNodes();
    for (TestRedis node : live) {
      try (Jedis jedis = admin(node)) {
        String info = jedis.clusterInfo();
        if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:16384")) {
          return false;
        }
        String replication = jedis.info("replication");
        if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
          return false;
        }
        for (String line : jedis.clusterNodes().split("\n")) {
          String[] f = line.split(" ");
          boolean alive = live.stream().anyMatch(n -> f[1].startsWith("127.0.0.1:" + n.port() + "@"));
          if (alive && (f[2].contains("fail") || f[2].contains("handshake") || f[2].contains("noaddr"))) {
            return false;
          }
        }
      } catch (RuntimeException notYet) {
        return false;
      }
    }
    return true;
  }

  private Map<Integer, String> views() {
    Map<Integer, String> views = new TreeMap<>();
    for (TestRedis node : liveNodes()) {
      try (Jedis jedis = admin(node)) {
        views.put(node.port(), jedis.clusterInfo().lines().filter(l -> l.startsWith("cluster_state")
            || l.startsWith("cluster_slots_ok")).toList() + " " + jedis.clusterNodes());
      } catch (RuntimeException e) {
        views.put(node.port(), "unreachable: " + e.getMessage());
      }
    }
    return views;
  }

  /**
   * Polls a condition every 50 ms until it holds.
   *
   * @param timeout how long to wait
   * @param condition what to wait for
   * @param whatFailed the message when it never holds
   */
  public static void awaitCondition(Duration timeout, BooleanSupplier condition,
      java.util.function.Supplier<String> whatFailed) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(whatFailed.get());
      }
      sleep(50);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run redis-cli (install redis-tools / redis-server, Debian: "
          + "sudo apt-get install -y redis-server): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    nodes.forEach(TestRedis::close);
  }
}
