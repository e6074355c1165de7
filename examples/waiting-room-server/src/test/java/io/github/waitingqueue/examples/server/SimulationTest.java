package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The simulation drives the REST API of a server on a real Redis until every virtual user is done. */
class SimulationTest {
  @Test
  void everyVirtualUserEndsAdmittedLeftOrEvictedAndTheSummaryIsPrinted() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    String event = ApiFixture.newEvent();
    Simulation.Summary summary = new Simulation(ApiFixture.SERVER.url(), 40,
        new PrintStream(printed, true, StandardCharsets.UTF_8), Optional.empty(), event).run();

    assertThat(summary.failed()).isZero();
    assertThat(summary.admitted() + summary.left() + summary.evicted()).isEqualTo(40);
    assertThat(summary.admitted()).isPositive();
    assertThat(summary.exitCode()).isZero();
    assertThat(summary.p50()).isLessThanOrEqualTo(summary.p95());
    assertThat(summary.p95()).isLessThanOrEqualTo(summary.p99());
    ApiClient.Reply stats = ApiFixture.api.stats(event);
    assertThat(stats.number("total_entered")).isEqualTo(summary.admitted());
    assertThat(stats.number("total_evicted")).isEqualTo(summary.evicted());
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("admitted " + summary.admitted(), "p50", "p99");
  }

  @Test
  void percentileIsTheNearestRank() {
    List<Long> millis = List.of(1000L, 2000L, 3000L, 4000L, 5000L, 6000L, 7000L, 8000L, 9000L, 10000L);
    assertThat(Simulation.percentile(millis, 50)).isEqualTo(5.0);
    assertThat(Simulation.percentile(millis, 95)).isEqualTo(10.0);
    assertThat(Simulation.percentile(List.of(), 99)).isZero();
  }
}
