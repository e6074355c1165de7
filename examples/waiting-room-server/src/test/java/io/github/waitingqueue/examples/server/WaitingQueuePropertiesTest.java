package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.waitingqueue.InMemoryWaitingQueue;
import io.github.waitingqueue.QueueListener;
import io.github.waitingqueue.WaitingQueue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** application.yml's waitingqueue.* into the library's configuration: bad values name their property. */
class WaitingQueuePropertiesTest {
  static final String OLD = "the-secret-that-signed-yesterday-32+";
  static final String NEW = "the-secret-that-signs-from-today-32++";

  static WaitingQueueProperties properties(List<WaitingQueueProperties.Key> keys, boolean developmentMode,
      WaitingQueueProperties.DefaultEvent event) {
    return new WaitingQueueProperties(new WaitingQueueProperties.Redis("redis://localhost:6379", 8, false), "wq:",
        new WaitingQueueProperties.Signing(keys, developmentMode), event, null);
  }

  static WaitingQueueProperties.DefaultEvent event(double rate, int burst) {
    return new WaitingQueueProperties.DefaultEvent(rate, burst, 0, Duration.ofMinutes(5), Duration.ofMinutes(3),
        Duration.ofSeconds(60), java.util.Map.of());
  }

  @Test
  void rotatedKeyStillVerifiesTokensItSignedWhileTheNewOneSigns() {
    WaitingQueueProperties before = properties(List.of(new WaitingQueueProperties.Key("k1", OLD)), false, event(5, 10));
    WaitingQueueProperties after = properties(List.of(new WaitingQueueProperties.Key("k2", NEW),
        new WaitingQueueProperties.Key("k1", OLD)), false, event(5, 10));
    assertThat(after.signingKeys().currentKeyId()).isEqualTo("k2");
    // Two queues on one state would need Redis; the in-memory queue shows the keys accept the old token.
    try (WaitingQueue old = InMemoryWaitingQueue.create(before.queueConfig(QueueListener.NONE))) {
      String token = old.join("rotation", "alice").waitingToken();
      assertThat(old.status(token).inLine()).isTrue();
      try (WaitingQueue rotated = InMemoryWaitingQueue.create(after.queueConfig(QueueListener.NONE))) {
        // Not in this queue's line, but accepted: an unknown ticket, not an InvalidTokenException.
        assertThat(rotated.status(token).inLine()).isFalse();
      }
    }
  }

  @Test
  void shortSecretNamesTheKeysProperty() {
    assertThatThrownBy(() -> properties(List.of(new WaitingQueueProperties.Key("k1", "short")), false, event(5, 10))
        .signingKeys()).isInstanceOf(InvalidQueuePropertyException.class)
        .hasMessageStartingWith("waitingqueue.signing.keys[0]").hasMessageContaining("at least 32 bytes");
  }

  @Test
  void missingSecretIsAnErrorOutsideDevelopmentMode() {
    assertThatThrownBy(() -> properties(List.of(), false, event(5, 10)).signingKeys())
        .isInstanceOf(InvalidQueuePropertyException.class).hasMessageStartingWith("waitingqueue.signing.keys");
    assertThat(properties(List.of(), true, event(5, 10)).signingKeys().isDevelopmentOnly()).isTrue();
  }

  @Test
  void badEventSettingNamesItsProperty() {
    assertThatThrownBy(() -> properties(List.of(), true, event(5, 0)).eventSettings())
        .isInstanceOf(InvalidQueuePropertyException.class)
        .extracting(e -> ((InvalidQueuePropertyException) e).property())
        .isEqualTo("waitingqueue.default-event.burst");
    assertThatThrownBy(() -> properties(List.of(), true, event(-1, 10)).eventSettings())
        .hasMessageStartingWith("waitingqueue.default-event.admission-rate");
  }

  @Test
  void badValueStopsTheApplicationAtStart() {
    assertThatThrownBy(() -> ApiFixture.start(ApiFixture.REDIS.uri(), "--waitingqueue.default-event.burst=0"))
        .hasRootCauseInstanceOf(InvalidQueuePropertyException.class)
        .rootCause().hasMessageStartingWith("waitingqueue.default-event.burst");
  }
}
