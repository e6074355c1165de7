package io.github.waitingqueue.redis;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * A real Redis for a test class: started before the class's first test, stopped after its last, so each
 * test class gets a fresh server (or cluster) of its own, as {@link TestRedis} and {@link TestCluster}
 * start them. It never skips: when no Redis can be had, every test of the class fails with the message
 * that says how to get one.
 *
 * <p>Declare it on the class for a standalone server, and take what a test needs as a parameter of the
 * constructor, of a {@code @BeforeAll}/{@code @BeforeEach} method or of a test method:
 *
 * <pre>{@code
 * @ExtendWith(RedisServerExtension.class)
 * class SomeRedisTest {
 *   @Test
 *   void joins(UnifiedJedis client) { ... }
 * }
 * }</pre>
 *
 * <p>Or register it in a static field to choose the kind of server, and read it from that field where
 * no parameter can be injected (an overridden factory method of the contract suite):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension REDIS = RedisServerExtension.cluster();
 *
 * protected WaitingQueue newQueue(QueueConfig config) {
 *   return RedisWaitingQueue.builder(REDIS.client()).config(config).build();
 * }
 * }</pre>
 *
 * <p>A class whose tests each want an empty server registers {@code RedisServerExtension.ownServer().flushedBeforeEach()}.
 *
 * <p>Parameters it resolves: {@link UnifiedJedis} (the class's client: standalone, or a cluster client),
 * {@link TestRedis} (the standalone server), {@link TestCluster} (the cluster) and {@link Jedis} (a plain
 * connection to the standalone server for admin commands such as {@code FLUSHALL} or {@code INFO}). All of
 * them live as long as the class's server and are closed with it.
 */
public final class RedisServerExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(RedisServerExtension.class);

  private final Kind kind;
  private final RedisProtocol protocol;
  private final boolean flushedBeforeEach;

  /** A standalone Redis, found or started as {@link TestRedis#start()} does ({@code REDIS_URL} first). */
  public RedisServerExtension() {
    this(Kind.SHARED_OR_OWN, null, false);
  }

  private RedisServerExtension(Kind kind, RedisProtocol protocol, boolean flushedBeforeEach) {
    this.kind = kind;
    this.protocol = protocol;
    this.flushedBeforeEach = flushedBeforeEach;
  }

  /**
   * A standalone Redis as {@link TestRedis#start()} finds it: {@code REDIS_URL}, Testcontainers, or a local
   * {@code redis-server}. The same as {@code @ExtendWith(RedisServerExtension.class)}.
   *
   * @return the extension
   */
  public static RedisServerExtension standalone() {
    return new RedisServerExtension();
  }

  /**
   * A {@code redis-server} of the class's own, whatever {@code REDIS_URL} says: for tests that flush it,
   * read its command statistics or count its keys.
   *
   * @return the extension
   */
  public static RedisServerExtension ownServer() {
    return new RedisServerExtension(Kind.OWN, null, false);
  }

  /**
   * A Redis Cluster of three masters with one replica each ({@link TestCluster#start()}).
   *
   * @return the extension
   */
  public static RedisServerExtension cluster() {
    return new RedisServerExtension(Kind.CLUSTER, null, false);
  }

  /**
   * The same server, with the class's client speaking the given protocol.
   *
   * @param protocol RESP2 or RESP3
   * @return a new extension
   * @throws IllegalStateException for a cluster (its client keeps the default protocol)
   */
  public RedisServerExtension protocol(RedisProtocol protocol) {
    if (kind == Kind.CLUSTER) {
      throw new IllegalStateException("the cluster client keeps the default protocol");
    }
    return new RedisServerExtension(kind, protocol, flushedBeforeEach);
  }

  /**
   * The same server, emptied ({@code FLUSHALL}) before each test of the class.
   *
   * @return a new extension
   * @throws IllegalStateException unless the server is the class's own (a shared one is not for flushing)
   */
  public RedisServerExtension flushedBeforeEach() {
    if (kind != Kind.OWN) {
      throw new IllegalStateException("only a server of the class's own (ownServer()) is flushed");
    }
    return new RedisServerExtension(kind, protocol, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // A nested class shares its enclosing class's server: the store looks up the enclosing contexts too.
    if (context.getStore(NAMESPACE).get(Servers.class) == null) {
      context.getStore(NAMESPACE).put(Servers.class, start());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (flushedBeforeEach) {
      admin().flushAll();
    }
  }

  private Servers start() {
    switch (kind) {
      case CLUSTER:
        TestCluster cluster = TestCluster.start();
        return new Servers(null, cluster, cluster.client());
      case OWN:
        return standaloneServers(TestRedis.startLocal(List.of()));
      default:
        return standaloneServers(TestRedis.start());
    }
  }

  private Servers standaloneServers(TestRedis redis) {
    try {
      UnifiedJedis client = protocol == null ? redis.client() : RedisClient.builder()
          .hostAndPort(redis.host(), redis.port())
          .clientConfig(DefaultJedisClientConfig.builder().protocol(protocol).build())
          .build();
      return new Servers(redis, null, client);
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  /**
   * The class's client, between its first and last test.
   *
   * @return a standalone client, or a cluster client for {@link #cluster()}
   * @throws IllegalStateException outside the class's tests
   */
  public UnifiedJedis client() {
    return current().client;
  }

  /**
   * The class's standalone server.
   *
   * @return the server
   * @throws IllegalStateException outside the class's tests, or for a cluster
   */
  public TestRedis server() {
    return current().server();
  }

  /**
   * The class's cluster.
   *
   * @return the cluster
   * @throws IllegalStateException outside the class's tests, or for a standalone server
   */
  public TestCluster testCluster() {
    return current().cluster();
  }

  /**
   * A plain connection to the class's standalone server for admin commands, opened on first use and
   * closed with the server.
   *
   * @return the connection
   * @throws IllegalStateException outside the class's tests, or for a cluster
   */
  public Jedis admin() {
    return current().admin();
  }

  // Set while a class using this instance runs; read by the accessors above.
  private Servers current;

  private Servers current() {
    if (current == null) {
      throw new IllegalStateException("no Redis yet: the extension starts it before the class's first test");
    }
    return current;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == UnifiedJedis.class || type == TestRedis.class || type == TestCluster.class || type == Jedis.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Servers servers = context.getStore(NAMESPACE).get(Servers.class, Servers.class);
    if (servers == null) {
      // with @TestInstance(PER_CLASS) the instance, and so its constructor's parameters, comes before beforeAll
      beforeAll(context);
      servers = context.getStore(NAMESPACE).get(Servers.class, Servers.class);
    }
    Class<?> type = parameter.getParameter().getType();
    Function<Servers, Object> resolver = type == UnifiedJedis.class ? s -> s.client
        : type == TestRedis.class ? Servers::server
        : type == TestCluster.class ? Servers::cluster
        : Servers::admin;
    try {
      return resolver.apply(servers);
    } catch (IllegalStateException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    }
  }

  private enum Kind {
    SHARED_OR_OWN,
    OWN,
    CLUSTER
  }

  /** What one test class holds; JUnit closes it (it is AutoCloseable) when the class's store closes. */
  private final class Servers implements AutoCloseable {
    private final TestRedis server;
    private final TestCluster cluster;
    private final UnifiedJedis client;
    private Jedis admin;

    Servers(TestRedis server, TestCluster cluster, UnifiedJedis client) {
      this.server = server;
      this.cluster = cluster;
      this.client = client;
      current = this;
    }

    TestRedis server() {
      if (server == null) {
        throw new IllegalStateException("this class runs on a Redis Cluster: ask for a TestCluster");
      }
      return server;
    }

    TestCluster cluster() {
      if (cluster == null) {
        throw new IllegalStateException("this class runs on a standalone Redis: ask for a TestRedis");
      }
      return cluster;
    }

    synchronized Jedis admin() {
      if (admin == null) {
        admin = TestCluster.admin(server());
      }
      return admin;
    }

    @Override
    public synchronized void close() {
      if (current == this) {
        current = null;
      }
      if (admin != null) {
        admin.close();
      }
      client.close();
      if (server != null) {
        server.close();
      }
      if (cluster != null) {
        cluster.close();
      }
    }
  }
}
