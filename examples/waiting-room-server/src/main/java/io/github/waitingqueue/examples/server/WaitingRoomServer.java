package io.github.waitingqueue.examples.server;

import com.sun.net.httpserver.HttpServer;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.WaitingQueue;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A waiting-room HTTP server on the JDK's own {@code com.sun.net.httpserver}: the REST API under
 * {@code /api/v1} (see {@link QueueApi}), the waiting-room page at {@code /} and the operator page at
 * {@code /operator}. Embeds any {@link WaitingQueue}; {@link #main} runs it on Redis, or in memory when no
 * Redis answers.
 */
public final class WaitingRoomServer implements AutoCloseable {
  /**
   * What an event gets on its first join: the head of the line is let in at once (a full bucket of 10),
   * then 5 people a second; no capacity limit; reservations hold for 5 minutes.
   */
  public static final EventSettings DEFAULT_EVENT_SETTINGS =
      EventSettings.builder().admissionRate(5).burst(10).unlimitedCapacity().build();

  private final HttpServer http;
  private final ExecutorService executor;

  private WaitingRoomServer(HttpServer http, ExecutorService executor) {
    this.http = http;
    this.executor = executor;
  }

  /**
   * Starts serving a queue.
   *
   * @param queue the queue; the caller closes it after this server
   * @param defaultSettings the settings the queue gives new events (shown for events not yet created)
   * @param port TCP port on all interfaces, 0 for a free one
   * @param adminToken bearer token the admin calls require, or empty to leave them open
   * @return the running server
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static WaitingRoomServer start(WaitingQueue queue, EventSettings defaultSettings, int port,
      Optional<String> adminToken) {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(port), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
    }
    ExecutorService executor = requestExecutor();
    http.setExecutor(executor);
    http.createContext("/api/", new QueueApi(queue, defaultSettings, adminToken));
    http.createContext("/", new StaticPages());
    http.start();
    return new WaitingRoomServer(http, executor);
  }

  /**
   * The port it listens on.
   *
   * @return the TCP port
   */
  public int port() {
    return http.getAddress().getPort();
  }

  /**
   * The base URL on the loopback interface.
   *
   * @return {@code http://localhost:port/}
   */
  public URI url() {
    return URI.create("http://localhost:" + port() + "/");
  }

  /** Stops accepting requests, lets running ones finish for up to a second, and stops the threads. */
  @Override
  public void close() {
    http.stop(1);
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One virtual thread per request on JDK 21 and later (blocking Redis calls then cost no platform
   * thread); a fixed pool of platform threads on JDK 17. Found by reflection so the jar still compiles
   * with {@code --release 17}.
   *
   * @return the executor for request handlers
   */
  static ExecutorService requestExecutor() {
    try {
      Method virtual = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) virtual.invoke(null);
    } catch (ReflectiveOperationException notOnThisJdk) {
      AtomicInteger n = new AtomicInteger();
      return Executors.newFixedThreadPool(64, r -> {
        Thread t = new Thread(r, "http-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
  }

  /**
   * Runs the server until stopped (Ctrl-C), or with {@code --simulate N} runs N virtual users through it
   * and exits. See {@link ServerOptions} for flags and environment variables.
   *
   * @param args command-line flags
   */
  public static void main(String[] args) {
    ServerOptions options;
    try {
      options = ServerOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(ServerOptions.USAGE);
      return;
    }
    PrintStream out = System.out;
    if (options.target().isPresent()) {
      System.exit(simulation(options.target().get(), options, out).run().exitCode());
      return;
    }
    QueueConfig config;
    try {
      config = QueueConfig.builder().signingKeys(signingKeys(options, out))
          .defaultEventSettings(DEFAULT_EVENT_SETTINGS).build();
    } catch (IllegalArgumentException e) {
      System.err.println("bad --secret / QUEUE_SECRET: " + e.getMessage());
      System.exit(2);
      return;
    }
    QueueBackend backend = QueueBackend.connect(options.redisUrl(), config);
    if (!backend.redis) {
      out.println("No Redis answered at " + options.redisUrl() + " (" + backend.redisFailure
          + "): running on the IN-MEMORY queue (one process only, lost on exit).");
    }
    WaitingRoomServer server;
    try {
      server = start(backend.queue, DEFAULT_EVENT_SETTINGS, options.port(), options.adminToken());
    } catch (UncheckedIOException e) {
      System.err.println(e.getMessage());
      backend.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      backend.close();
    }, "shutdown"));
    out.println("Waiting room on " + backend.description + ": " + server.url()
        + "  (operator view: " + server.url() + "operator)");
    if (options.simulateUsers() > 0) {
      int exitCode = simulation(server.url(), options, out).run().exitCode();
      System.exit(exitCode);
    }
  }

  private static Simulation simulation(URI target, ServerOptions options, PrintStream out) {
    return new Simulation(target, options.simulateUsers(), out, options.adminToken(),
        "simulation-" + System.currentTimeMillis());
  }

  private static SigningKeys signingKeys(ServerOptions options, PrintStream out) {
    if (options.secret().isPresent()) {
      return SigningKeys.ofText("k1", options.secret().get());
    }
    out.println("QUEUE_SECRET is not set: using the library's DEVELOPMENT signing key "
        + "(anyone can forge tokens; set QUEUE_SECRET to 32+ random bytes for real use).");
    return SigningKeys.developmentOnly();
  }
}
