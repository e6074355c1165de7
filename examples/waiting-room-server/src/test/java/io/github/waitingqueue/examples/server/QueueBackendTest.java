package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.waitingqueue.InMemoryWaitingQueue;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.redis.RedisWaitingQueue;
import io.github.waitingqueue.redis.TestRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import redis.clients.jedis.UnifiedJedis;

class QueueBackendTest {
  private static final QueueConfig CONFIG = QueueConfig.builder()
      .signingKeys(SigningKeys.ofText("k1", ApiFixture.SECRET)).build();

  static String closedPortUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "redis://127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void runsOnRedisWhenItAnswers() {
    try (TestRedis redis = TestRedis.startLocal(List.of());
         QueueBackend backend = QueueBackend.connect(new WaitingQueueProperties.Redis(redis.uri(), 4, false), "wq:",
             CONFIG)) {
      assertThat(backend.onRedis()).isTrue();
      assertThat(backend.queue).isInstanceOf(RedisWaitingQueue.class);
      assertThat(backend.queue.join("backend-test", "alice").position()).isEqualTo(1);
    }
  }

  @Test
  void fallsBackToMemoryWhenNoRedisAnswersAndThatIsAllowed() throws IOException {
    try (QueueBackend backend = QueueBackend.connect(new WaitingQueueProperties.Redis(closedPortUrl(), 4, true), "wq:",
        CONFIG)) {
      assertThat(backend.onRedis()).isFalse();
      assertThat(backend.queue).isInstanceOf(InMemoryWaitingQueue.class);
      assertThat(backend.description()).isEqualTo("the in-memory queue");
      assertThat(backend.redisFailure).isNotBlank();
    }
  }

  @Test
  void failsWhenNoRedisAnswersAndNoFallbackIsAllowed() {
    assertThatThrownBy(() -> QueueBackend.connect(new WaitingQueueProperties.Redis(closedPortUrl(), 4, false), "wq:",
        CONFIG)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void malformedUrlOrKeyPrefixNamesItsPropertyEvenWithTheFallback() {
    assertThatThrownBy(() -> QueueBackend.connect(new WaitingQueueProperties.Redis("localhost:6379", 4, true), "wq:",
        CONFIG)).isInstanceOf(InvalidQueuePropertyException.class).hasMessageStartingWith("waitingqueue.redis.url");
    try (TestRedis redis = TestRedis.startLocal(List.of())) {
      assertThatThrownBy(() -> QueueBackend.connect(new WaitingQueueProperties.Redis(redis.uri(), 4, true), "{wq}",
          CONFIG)).isInstanceOf(InvalidQueuePropertyException.class).hasMessageStartingWith("waitingqueue.key-prefix");
    }
  }

  @Test
  void withALineMirrorFarBackPollsAreAnsweredWithoutRedis() throws InterruptedException {
    try (TestRedis redis = TestRedis.startLocal(List.of());
         QueueBackend backend = QueueBackend.connect(new WaitingQueueProperties.Redis(redis.uri(), 4, false), "wq:",
             java.time.Duration.ofSeconds(1), CONFIG)) {
      backend.queue.configure("mirrored", io.github.waitingqueue.EventSettings.builder().admissionRate(0.001).burst(1)
          .build());
      String far = null;
      for (int i = 0; i < 40; i++) {
        far = backend.queue.join("mirrored", "u" + i).waitingToken();
      }
      long answered = 0;
      for (int i = 0; i < 50 && answered == 0; i++) {
        assertThat(backend.queue.status(far).position()).isEqualTo(40);
        answered = ((RedisWaitingQueue) backend.queue).mirroredStatusCount();
        Thread.sleep(100); // the mirror bootstraps and catches up on its own thread
      }

      assertThat(answered).isPositive();
    }
  }

  @Test
  void aLineMirrorBoundOutOfRangeNamesItsProperty() {
    try (TestRedis redis = TestRedis.startLocal(List.of())) {
      assertThatThrownBy(() -> QueueBackend.connect(new WaitingQueueProperties.Redis(redis.uri(), 4, false), "wq:",
          java.time.Duration.ofSeconds(11), CONFIG)).isInstanceOf(InvalidQueuePropertyException.class)
          .hasMessageStartingWith("waitingqueue.line-mirror");
    }
  }

  /**
   * An application that has its own Redis client. Not a {@code @Configuration}: the component scan of the
   * other tests' servers would find it; given as a source, its bean method is read all the same.
   */
  static class ApplicationClient {
    static TestRedis redis;

    @Bean(destroyMethod = "close")
    UnifiedJedis applicationsOwnClient() {
      return redis.client();
    }
  }

  @Test
  void theApplicationsOwnClientIsUsedWhenItHasOne() {
    try (TestRedis redis = TestRedis.startLocal(List.of())) {
      ApplicationClient.redis = redis;
      try (WaitingRoomServer.Running server = WaitingRoomServer.start(new Class<?>[] {ApplicationClient.class},
          "--server.port=0", "--waitingqueue.redis.url=redis://127.0.0.1:1", "--waitingqueue.redis.fallback-to-memory=false",
          "--waitingqueue.signing.keys[0].id=k1", "--waitingqueue.signing.keys[0].secret=" + ApiFixture.SECRET)) {
        QueueBackend backend = server.bean(QueueBackend.class);
        assertThat(backend.description()).isEqualTo("Redis (the application's client)");
        backend.queue.join("own-client", "alice");
        try (UnifiedJedis check = redis.client()) {
          assertThat(check.keys("wq:{own-client}*")).isNotEmpty();
        }
      }
    }
  }
}
