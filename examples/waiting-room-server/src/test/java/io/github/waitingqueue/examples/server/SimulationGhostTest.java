package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Users who close the tab are evicted by the queue, and the simulation counts them as evicted. */
class SimulationGhostTest {
  @Test
  void usersWhoStopPollingAreEvicted() {
    Simulation.Summary summary = new Simulation(ApiFixture.SERVER.url(), 60,
        new PrintStream(OutputStream.nullOutputStream()), Optional.empty(), ApiFixture.newEvent()).run();
    assertThat(summary.evicted()).isPositive();
  }
}
