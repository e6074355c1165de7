package io.github.waitingqueue.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A real Redis for tests, found in this order:
 * <ol>
 *   <li>{@code REDIS_URL} when set (the test then shares that server: every test uses its own event ids);</li>
 *   <li>a {@code redis:7-alpine} container through Testcontainers when a Docker engine answers;</li>
 *   <li>a {@code redis-server} from the PATH, started on a free port of 127.0.0.1 with no persistence.</li>
 * </ol>
 * When none of them can be had, {@link #start()} fails the test with instructions. It never skips.
 * Shipped in the queue-redis test-jar for the examples and benchmarks.
 */
public final class TestRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TestRedis.class);
  /** Where a test can find its own servers' logs and files. */
  private static final String IMAGE = "redis:7-alpine";

  private final String host;
  private final int port;
  private final String how;
  private final AutoCloseable owner;

  private TestRedis(String host, int port, String how, AutoCloseable owner) {
    this.host = host;
    this.port = port;
    this.how = how;
    this.owner = owner;
  }

  /**
   * How many times a command ran since the last {@code CONFIG RESETSTAT}, from {@code INFO commandstats}.
   *
   * @param admin a connection to the server
   * @param command the command's name in commandstats, a regular expression ({@code "function\\|load"})
   * @return the count, 0 when it never ran
   */
  public static long calls(redis.clients.jedis.Jedis admin, String command) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
        .matcher(admin.info("commandstats"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /**
   * Finds or starts a Redis as described in the class comment.
   *
   * @return a running Redis
   * @throws IllegalStateException when no Redis can be had, saying how to get one
   */
  public static TestRedis start() {
    String url = System.getenv("REDIS_URL");
    if (url != null && !url.isBlank()) {
      URI uri = URI.create(url);
      return new TestRedis(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379, "REDIS_URL " + url, null);
    }
    if (dockerAnswers()) {
      GenericContainer<?> container = new GenericContainer<>(IMAGE).withExposedPorts(6379);
      container.start();
      return new TestRedis(container.getHost(), container.getMappedPort(6379), "Testcontainers " + IMAGE, container);
    }
    return startLocal(List.of());
  }

  /**
   * Starts a fresh {@code redis-server} from the PATH on a free port, whatever {@code REDIS_URL} says.
   * For tests that need a server of their own (restarts, cluster nodes, memory figures).
   *
   * @param extraArguments more {@code redis-server} arguments, such as {@code --cluster-enabled yes}
   * @return the running server; {@link #close()} stops it
   * @throws IllegalStateException when redis-server is not installed or does not start
   */
  public static TestRedis startLocal(List<String> extraArguments) {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      try {
        LocalServer server = LocalServer.start(port, extraArguments);
        return new TestRedis("127.0.0.1", port, "local redis-server on port " + port, server);
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IllegalStateException("No Redis for the tests. Install redis-server (Debian: sudo apt-get install -y "
        + "redis-server), or start a Docker engine for Testcontainers, or set REDIS_URL=redis://host:port. "
        + "Last error: " + (last == null ? "none" : last.getMessage()), last);
  }

  /**
   * The host.
   *
   * @return host name or address
   */
  public String host() {
    return host;
  }

  /**
   * The port.
   *
   * @return TCP port
   */
  public int port() {
    return port;
  }

  /**
   * The URI, {@code redis://host:port}.
   *
   * @return the URI
   */
  public String uri() {
    return "redis://" + host + ":" + port;
  }

  /**
   * A new client; the caller closes it.
   *
   * @return a standalone client
   */
  public UnifiedJedis client() {
    return RedisClient.create(URI.create(uri()));
  }

  /**
   * The local server process, if this is one (to kill or restart it in fault tests).
   *
   * @return the process or null
   */
  public Process process() {
    return owner instanceof LocalServer ? ((LocalServer) owner).process : null;
  }

  /**
   * Stops this local server and starts a new {@code redis-server} on the same port, in the same directory,
   * with the same arguments: what a crash and restart looks like to clients. With {@code --appendonly yes}
   * among the arguments the data survives.
   *
   * @param kill true for SIGKILL (a crash), false for SIGTERM (a clean shutdown)
   * @return the new server (this instance is then stopped)
   * @throws IllegalStateException when this is not a local server or the new one does not start
   */
  public TestRedis restart(boolean kill) {
    if (!(owner instanceof LocalServer)) {
      throw new IllegalStateException("only a local redis-server can be restarted: " + how);
    }
    LocalServer old = (LocalServer) owner;
    if (kill) {
      old.process.destroyForcibly();
    } else {
      old.process.destroy();
    }
    try {
      old.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      return new TestRedis(host, port, how, LocalServer.start(port, old.extra, old.dir));
    } catch (IOException e) {
      throw new IllegalStateException("restart on port " + port + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return how;
  }

  @Override
  public void close() {
    if (owner != null) {
      try {
        owner.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed", how, e);
      }
    }
  }

  private static boolean dockerAnswers() {
    // Ask Testcontainers only where a Docker endpoint can exist, to keep its probing out of plain runs.
    boolean endpoint = System.getenv("DOCKER_HOST") != null || new File("/var/run/docker.sock").exists()
        || new File(System.getProperty("user.home"), ".docker/run/docker.sock").exists();
    if (!endpoint) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  /** A redis-server child process with its own directory. */
  private static final class LocalServer implements AutoCloseable {
    final Process process;
    final Path dir;
    final List<String> extra;

    private LocalServer(Process process, Path dir, List<String> extra) {
      this.process = process;
      this.dir = dir;
      this.extra = extra;
    }

    static LocalServer start(int port, List<String> extra) throws IOException {
      return start(port, extra, Files.createTempDirectory("wq-redis-" + port + "-"));
    }

    static LocalServer start(int port, List<String> extra, Path dir) throws IOException {
      List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
          "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
          "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()));
      command.addAll(extra);
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile()).start();
      } catch (IOException e) {
        throw new IOException("cannot run redis-server (is it installed and on the PATH?): " + e.getMessage(), e);
      }
      LocalServer server = new LocalServer(process, dir, List.copyOf(extra));
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          String log = Files.exists(dir.resolve("redis.log")) ? Files.readString(dir.resolve("redis.log")) : "";
          throw new IOException("redis-server exited at start on port " + port + ": " + log);
        }
        try (UnifiedJedis probe = RedisClient.create("127.0.0.1", port)) {
          if ("PONG".equals(probe.ping())) {
            return server;
          }
        } catch (RuntimeException notYet) {
          // still starting
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      server.close();
      throw new IOException("redis-server did not answer PING on port " + port + " within 10 s");
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
