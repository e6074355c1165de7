package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.EtaBasis;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollPacingTest {
  private final PollPacing pacing = new PollPacing(Duration.ofSeconds(1), Duration.ofSeconds(15));

  private static TicketStatus waiting(long hintMillis) {
    return new TicketStatus(TicketState.WAITING, 100, 20, 3, Duration.ofMillis(hintMillis), EtaBasis.CONFIGURED_RATE);
  }

  @Test
  void aVisiblePageFollowsTheLibrarysHint() {
    assertThat(pacing.pollAfterMillis(waiting(4_321), false)).isEqualTo(4_321);
  }

  @Test
  void theHintIsKeptWithinThisServersFastestAndSlowestPace() {
    assertThat(pacing.pollAfterMillis(waiting(60_000), false)).isEqualTo(15_000);
    assertThat(pacing.pollAfterMillis(waiting(500), false)).isEqualTo(1_000);
  }

  @Test
  void aHiddenTabPollsAtTheSlowestPaceNeverSlower() {
    for (int i = 0; i < 100; i++) {
      assertThat(pacing.pollAfterMillis(waiting(2_000), true)).isBetween(13_500L, 15_000L);
    }
  }

  @Test
  void aTicketWithNothingLeftToPollForIsToldZero() {
    assertThat(pacing.pollAfterMillis(TicketStatus.notFound(), false)).isZero();
  }
}
