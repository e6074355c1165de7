package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Requests run on virtual threads when the JDK has them (21+): Spring Boot reads this property then. */
class VirtualThreadsTest {
  @Test
  void virtualThreadsAreAskedFor() {
    assertThat(ApiFixture.SERVER.context().getEnvironment()
        .getProperty("spring.threads.virtual.enabled", Boolean.class)).isTrue();
  }
}
