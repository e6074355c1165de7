package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.TicketState;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PollPacingTest {
  private final PollPacing pacing = new PollPacing(Duration.ofSeconds(1), Duration.ofSeconds(15));

  @Test
  void nearTheHeadOfTheLinePollsAtTheFastestPace() {
    for (int i = 0; i < 100; i++) {
      assertThat(pacing.pollAfterMillis(TicketState.WAITING, 3, 40, false)).isBetween(1000L, 1200L);
      assertThat(pacing.pollAfterMillis(TicketState.READY, 1, 0, false)).isBetween(1000L, 1200L);
    }
  }

  @Test
  void furtherBackPollsAtAQuarterOfTheWaitUpToTheSlowestPace() {
    for (int i = 0; i < 100; i++) {
      // 20 s to go: about 5 s, give or take 20%.
      assertThat(pacing.pollAfterMillis(TicketState.WAITING, 100, 20, false))
          .isBetween(4000L, 6000L);
      assertThat(pacing.pollAfterMillis(TicketState.WAITING, 50_000, 10_000, false))
          .isEqualTo(15_000L);
    }
  }

  @Test
  void aHiddenTabPollsAtTheSlowestPaceNeverSlower() {
    for (int i = 0; i < 100; i++) {
      assertThat(pacing.pollAfterMillis(TicketState.WAITING, 2, 1, true))
          .isBetween(13_500L, 15_000L);
    }
  }

  @Test
  void jitterSpreadsPeopleWhoJoinedTogether() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      seen.add(pacing.pollAfterMillis(TicketState.WAITING, 100, 20, false));
    }
    assertThat(seen.size()).isGreaterThan(10);
  }
}
