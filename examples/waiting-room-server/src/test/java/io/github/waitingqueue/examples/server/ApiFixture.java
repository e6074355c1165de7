package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.examples.server.ApiClient.Reply;
import io.github.waitingqueue.redis.TestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One server for all REST tests: a real Redis ({@link TestRedis}) and the Spring Boot service on it, on a
 * free port, started when a test first touches this class and stopped when the JVM exits. Every test uses
 * its own event, so tests do not see each other.
 */
final class ApiFixture {
  static final String SECRET = "rest-api-test-secret-of-at-least-32-bytes!";
  static final TestRedis REDIS = TestRedis.start();
  static final WaitingRoomServer.Running SERVER = start(REDIS.uri());
  static final WaitingQueue QUEUE = SERVER.bean(WaitingQueue.class);
  static final EventSettings DEFAULT_SETTINGS = SERVER.bean(WaitingQueueProperties.class).eventSettings();
  static final ApiClient api = new ApiClient(SERVER.url());
  private static final AtomicInteger EVENTS = new AtomicInteger();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      SERVER.close();
      REDIS.close();
    }));
  }

  private ApiFixture() {}

  /**
   * The service on a free port, signing with {@link #SECRET}, on that Redis and never on memory.
   *
   * @param redisUri the Redis
   * @param properties more Spring arguments, such as {@code --waitingroom.admin-token=t}
   */
  static WaitingRoomServer.Running start(String redisUri, String... properties) {
    List<String> args = new ArrayList<>(List.of("--server.port=0", "--waitingqueue.redis.url=" + redisUri,
        "--waitingqueue.redis.fallback-to-memory=false", "--waitingqueue.signing.development-mode=false",
        "--waitingqueue.signing.keys[0].id=k1", "--waitingqueue.signing.keys[0].secret=" + SECRET));
    args.addAll(List.of(properties));
    return WaitingRoomServer.start(args.toArray(String[]::new));
  }

  static String newEvent() {
    return "rest-" + System.nanoTime() + "-" + EVENTS.incrementAndGet();
  }

  /** An event where only the head of the line may enter: one token in the bucket, almost no refill. */
  static String slowEvent() {
    String event = newEvent();
    assertThat(api.settings(event, Map.of("admission_rate", 0.001, "burst", 1)).status()).isEqualTo(200);
    return event;
  }

  static void assertError(Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(status);
    assertThat(reply.errorCode()).isEqualTo(code);
    assertThat(reply.error().get("message")).asString().isNotBlank();
    assertThat(reply.error().get("trace_id")).asString().isNotBlank();
  }
}
