package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.examples.server.ApiClient.Reply;
import io.github.waitingqueue.redis.RedisWaitingQueue;
import io.github.waitingqueue.redis.TestRedis;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.UnifiedJedis;

/**
 * One server for all REST tests: a real Redis ({@link TestRedis}), the Redis queue on it, and the HTTP
 * server on a free port, started when a test first touches this class and stopped when the JVM exits.
 * Every test uses its own event, so tests do not see each other.
 */
final class ApiFixture {
  static final String SECRET = "rest-api-test-secret-of-at-least-32-bytes!";
  static final TestRedis REDIS = TestRedis.start();
  static final UnifiedJedis CLIENT = REDIS.client();
  static final WaitingQueue QUEUE = RedisWaitingQueue.builder(CLIENT).config(QueueConfig.builder()
      .signingKeys(SigningKeys.ofText("k1", SECRET))
      .defaultEventSettings(WaitingRoomServer.DEFAULT_EVENT_SETTINGS).build()).build();
  static final WaitingRoomServer SERVER =
      WaitingRoomServer.start(QUEUE, WaitingRoomServer.DEFAULT_EVENT_SETTINGS, 0, Optional.empty());
  static final ApiClient api = new ApiClient(SERVER.url());
  private static final AtomicInteger EVENTS = new AtomicInteger();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      SERVER.close();
      QUEUE.close();
      CLIENT.close();
      REDIS.close();
    }));
  }

  private ApiFixture() {}

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
