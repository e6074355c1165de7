package io.github.waitingqueue.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The load model's arithmetic, on lines small enough to reason about by hand. */
class LoadModelTest {
  private static final long IDLE = 180_000; // 3 minutes: pacing caps at 45 s, heartbeat windows are 90 s

  @Test
  void farBackTicketsPollAtTheCapAndTheHeadEveryOneToTwoSeconds() {
    assertThat(LoadModel.pauseMs(1, 10, 10, IDLE)).isEqualTo(1_000); // ready
    assertThat(LoadModel.pauseMs(15, 10, 10, IDLE)).isBetween(1_600L, 2_400L); // near the head
    assertThat(LoadModel.pauseMs(1_000_000, 10, 10, IDLE)).isEqualTo(45_000);
  }

  @Test
  void oneInstanceSendsOneHeartbeatPerMirroredTicketPerWindow() {
    // rate 1/s: from position 200 on the ETA is 180 s or more, so every such ticket polls every 45 s
    LoadModel.Traffic t = LoadModel.traffic(10_000, 10, 1, IDLE, 100, 1);

    assertThat(t.heartbeats()).isCloseTo((10_000 - 100) / 90.0, within(1e-9));
    assertThat(t.polls()).isGreaterThan(10_000 / 45.0).isLessThan(10_000 / 45.0 + 100);
    assertThat(t.redisPolls()).isGreaterThan(10 / 1.0).isLessThan(10 + 90 / 1.6);
  }

  @Test
  void tenInstancesTwoPollsPerWindowGiveAboutTwoHeartbeats() {
    assertThat(LoadModel.instancesAnswering(10, 2)).isCloseTo(1.9, within(1e-12));
    assertThat(LoadModel.instancesAnswering(1, 7)).isCloseTo(1, within(1e-12));

    // from position 235 on the ETA is 225 s or more: even the shortest jitter (80%) leaves the pause at the cap
    LoadModel.Traffic t = LoadModel.traffic(10_000, 10, 1, IDLE, 300, 10);
    assertThat(t.heartbeats()).isCloseTo(1.9 * (10_000 - 300) / 90.0, within(1e-6));
  }

  @Test
  void withoutIdleTimeoutNoHeartbeatsAreDue() {
    assertThat(LoadModel.traffic(1_000, 10, 1, 0, 100, 10).heartbeats()).isZero();
  }

  @Test
  void theMirrorLeavesTheAllowanceAndItsHeadroomToRedis() {
    assertThat(LoadModel.redisUpTo(1_000, 1_000, 1)).isEqualTo(3_010);
  }
}
