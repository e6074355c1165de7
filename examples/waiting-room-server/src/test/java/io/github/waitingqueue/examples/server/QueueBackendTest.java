package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.InMemoryWaitingQueue;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.redis.RedisWaitingQueue;
import io.github.waitingqueue.redis.TestRedis;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class QueueBackendTest {
  private static final QueueConfig CONFIG = QueueConfig.builder()
      .signingKeys(SigningKeys.ofText("k1", ApiFixture.SECRET)).build();

  @Test
  void runsOnRedisWhenItAnswers() {
    try (TestRedis redis = TestRedis.startLocal(java.util.List.of());
         QueueBackend backend = QueueBackend.connect(redis.uri(), CONFIG)) {
      assertThat(backend.redis).isTrue();
      assertThat(backend.queue).isInstanceOf(RedisWaitingQueue.class);
      assertThat(backend.queue.join("backend-test", "alice").position()).isEqualTo(1);
    }
  }

  @Test
  void fallsBackToMemoryWhenNoRedisAnswers() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (QueueBackend backend = QueueBackend.connect("redis://127.0.0.1:" + closedPort, CONFIG)) {
      assertThat(backend.redis).isFalse();
      assertThat(backend.queue).isInstanceOf(InMemoryWaitingQueue.class);
      assertThat(backend.description).isEqualTo("the in-memory queue");
      assertThat(backend.redisFailure).isNotBlank();
    }
  }
}
