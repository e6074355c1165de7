package io.github.waitingqueue.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * A redis-server child process on a free port of 127.0.0.1, with no persistence, for figures that must not
 * be disturbed by anything else. When {@link Cpus#pinned()} it runs on the Redis core only.
 */
final class LocalRedis implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private LocalRedis(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  static LocalRedis start(Cpus cpus) throws IOException, InterruptedException {
    int port = freePort();
    Path dir = Files.createTempDirectory("wq-bench-redis-");
    List<String> command = new ArrayList<>(cpus.forRedis());
    command.addAll(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--maxclients", "10000",
        "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    LocalRedis redis = new LocalRedis(process, port, dir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited at start: " + Files.readString(dir.resolve("stdout.log")));
      }
      try (Jedis probe = new Jedis("127.0.0.1", port)) {
        if ("PONG".equals(probe.ping())) {
          return redis;
        }
      } catch (RuntimeException notYet) {
        Thread.sleep(20);
      }
    }
    redis.close();
    throw new IOException("redis-server did not answer on port " + port + " within 10 s");
  }

  int port() {
    return port;
  }

  /** A pooled client with exactly {@code connections} connections, all opened now. */
  RedisClient client(int connections) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(connections);
    pool.setMaxIdle(connections);
    pool.setMinIdle(connections);
    pool.setTestOnBorrow(false);
    pool.setTestWhileIdle(false);
    pool.setTimeBetweenEvictionRuns(java.time.Duration.ofMillis(-1));
    RedisClient client = RedisClient.builder().hostAndPort(new HostAndPort("127.0.0.1", port)).poolConfig(pool)
        .build();
    try {
      client.getPool().preparePool();
    } catch (Exception e) {
      throw new IllegalStateException("cannot open " + connections + " connections", e);
    }
    return client;
  }

  /** A plain single connection, for INFO and administration. */
  Jedis admin() {
    return new Jedis("127.0.0.1", port);
  }

  /** One section of INFO as name/value pairs. */
  Map<String, String> info(String section) {
    try (Jedis jedis = admin()) {
      return parseInfo(jedis.info(section));
    }
  }

  static Map<String, String> parseInfo(String text) {
    Map<String, String> values = new HashMap<>();
    for (String line : text.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        values.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return values;
  }

  /** A numeric INFO field, 0 when absent. */
  static long asLong(Map<String, String> info, String key) {
    String v = info.get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "redis-server on 127.0.0.1:" + port + " (" + dir + ")";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

}
