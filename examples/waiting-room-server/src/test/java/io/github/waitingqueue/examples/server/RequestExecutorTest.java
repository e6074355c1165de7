package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

class RequestExecutorTest {
  @Test
  void requestsRunOnVirtualThreadsExactlyWhenTheJdkHasThem() throws Exception {
    boolean jdkHasVirtualThreads = Runtime.version().feature() >= 21;
    ExecutorService executor = WaitingRoomServer.requestExecutor();
    try {
      String threadClass = executor.submit(() -> Thread.currentThread().getClass().getName()).get();
      assertThat(threadClass.contains("Virtual")).isEqualTo(jdkHasVirtualThreads);
    } finally {
      executor.shutdown();
    }
  }
}
