package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PollPacingTest {
  private final PollPacing pacing = new PollPacing(Duration.ofSeconds(1), Duration.ofSeconds(15));

  @Test
  void nearTheHeadOfTheLinePollsAtTheFastestPace() {
    for (int i = 0; i < 100; i++) {
      assertThat(pacing.pollAfterMillis(new TicketStatus(TicketState.WAITING, 3, 40, 5), false)).isBetween(1000L, 1200L);
      assertThat(pacing.pollAfterMillis(new TicketStatus(TicketState.READY, 1, 0, 5), false)).isBetween(1000L, 1200L);
    }
  }

  @Test
  void furtherBackPollsAtAQuarterOfTheWaitUpToTheSlowestPace() {
    for (int i = 0; i < 100; i++) {
      // 20 s to go: about 5 s, give or take 20%.
      assertThat(pacing.pollAfterMillis(new TicketStatus(TicketState.WAITING, 100, 20, 5), false))
          .isBetween(4000L, 6000L);
      assertThat(pacing.pollAfterMillis(new TicketStatus(TicketState.WAITING, 50_000, 10_000, 5), false))
          .isEqualTo(15_000L);
    }
  }

  @Test
  void aHiddenTabPollsAtTheSlowestPaceNeverSlower() {
    for (int i = 0; i < 100; i++) {
      assertThat(pacing.pollAfterMillis(new TicketStatus(TicketState.WAITING, 2, 1, 5), true))
          .isBetween(13_500L, 15_000L);
    }
  }

  @Test
  void jitterSpreadsPeopleWhoJoinedTogether() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      seen.add(pacing.pollAfterMillis(new TicketStatus(TicketState.WAITING, 100, 20, 5), false));
    }
    assertThat(seen.size()).isGreaterThan(10);
  }
}
