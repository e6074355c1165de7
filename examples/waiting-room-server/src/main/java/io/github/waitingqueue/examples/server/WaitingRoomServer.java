package io.github.waitingqueue.examples.server;

import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A waiting-room service on Spring Boot: the REST API under {@code /api/v1} ({@link QueueController}), the
 * waiting-room page at {@code /}, the operator page at {@code /operator}, a checkout at
 * {@code /checkout/{eventId}} guarded by a reservation ({@link ReservationGuard}), and Actuator's
 * {@code /actuator/health} and {@code /actuator/prometheus}. The queue is a bean built from
 * {@code application.yml} ({@link WaitingQueueConfiguration}): Redis, or memory when no Redis answers.
 */
@SpringBootApplication
public class WaitingRoomServer {
  private static final Logger LOG = LoggerFactory.getLogger(WaitingRoomServer.class);

  /** A running server, for tests and for {@code --simulate}. */
  public record Running(ConfigurableApplicationContext context) implements AutoCloseable {
    /**
     * The port it listens on.
     *
     * @return the TCP port
     */
    public int port() {
      return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /**
     * The base URL on the loopback interface.
     *
     * @return {@code http://localhost:port/}
     */
    public URI url() {
      return URI.create("http://localhost:" + port() + "/");
    }

    /**
     * A bean of the application.
     *
     * @param type its type
     * @param <T> its type
     * @return the bean
     */
    public <T> T bean(Class<T> type) {
      return context.getBean(type);
    }

    @Override
    public void close() {
      context.close();
    }
  }

  /**
   * Starts the service.
   *
   * @param springArguments Spring arguments such as {@code --server.port=0}
   * @return the running service
   * @throws RuntimeException when it cannot start (a bad property, the port taken); Spring has logged why
   */
  public static Running start(String... springArguments) {
    return start(new Class<?>[0], springArguments);
  }

  /**
   * Starts the service with more configuration classes, such as one that gives the application's own
   * {@code UnifiedJedis} bean.
   *
   * @param configurations more {@code @Configuration} classes
   * @param springArguments Spring arguments such as {@code --server.port=0}
   * @return the running service
   */
  public static Running start(Class<?>[] configurations, String... springArguments) {
    SpringApplication application = new SpringApplication(WaitingRoomServer.class);
    application.addPrimarySources(List.of(configurations));
    return new Running(application.run(springArguments));
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
    PrintStream out = System.out;
    if (options.help()) {
      out.println(ServerOptions.USAGE);
      return;
    }
    if (options.target().isPresent()) {
      System.exit(simulation(options.target().get(), options, out).run().exitCode());
      return;
    }
    Running server;
    try {
      server = start(options.springArguments().toArray(String[]::new));
    } catch (RuntimeException e) {
      // Spring Boot has printed the reason; a bad setting exits 2 like a bad flag.
      System.exit(causedBy(e, InvalidQueuePropertyException.class) ? 2 : 1);
      return;
    }
    LOG.info("Waiting room on {}: {}  (operator view: {}operator)", server.bean(QueueBackend.class).description(),
        server.url(), server.url());
    if (options.simulateUsers() > 0) {
      int exitCode = simulation(server.url(), options, out).run().exitCode();
      server.close();
      System.exit(exitCode);
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static Simulation simulation(URI target, ServerOptions options, PrintStream out) {
    return new Simulation(target, options.simulateUsers(), out, options.adminToken(),
        "simulation-" + System.currentTimeMillis());
  }
}
