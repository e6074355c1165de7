package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.assertError;

import io.github.waitingqueue.redis.TestRedis;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When Redis goes away under a running server, calls answer 503 QUEUE_UNAVAILABLE, not 500 or a hang. */
class UnavailableRedisTest {
  @Test
  void joinAnswers503WhenRedisIsDown() throws Exception {
    try (TestRedis redis = TestRedis.startLocal(List.of());
         WaitingRoomServer.Running server = ApiFixture.start(redis.uri())) {
      ApiClient api = new ApiClient(server.url());
      api.tokenOf("down-test", "before");
      redis.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      assertError(api.join("down-test", "after"), 503, "QUEUE_UNAVAILABLE");
    }
  }
}
