package io.github.waitingqueue.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where the http section's service and its load generator run, by the number of cores. */
class CpusTest {
  @Test
  void onTwoCoresTheServiceSharesBothAndTheLoadRunsOnTheClientCore() {
    Cpus cpus = new Cpus(true, 2);

    assertThat(cpus.serviceCores()).isEqualTo("0-1");
    assertThat(cpus.loadCores()).isEqualTo("1");
    assertThat(cpus.forService()).containsExactly("taskset", "-c", "0-1");
  }

  @Test
  void onThreeCoresTheServiceHasTheThirdToItself() {
    Cpus cpus = new Cpus(true, 3);

    assertThat(cpus.serviceCores()).isEqualTo("2");
    assertThat(cpus.loadCores()).isEqualTo("1");
    assertThat(cpus.clientCores()).isEqualTo("1-2");
  }

  @Test
  void onManyCoresTheServiceKeepsOffRedisAndTheLoadGenerator() {
    Cpus cpus = new Cpus(true, 8);

    assertThat(cpus.serviceCores()).isEqualTo("2-7");
    assertThat(cpus.loadCores()).isEqualTo("1");
    assertThat(cpus.forLoad()).containsExactly("taskset", "-c", "1");
  }

  @Test
  void unpinnedNothingIsPrefixed() {
    Cpus cpus = new Cpus(false, 8);

    assertThat(cpus.forService()).isEmpty();
    assertThat(cpus.forLoad()).isEmpty();
  }
}
