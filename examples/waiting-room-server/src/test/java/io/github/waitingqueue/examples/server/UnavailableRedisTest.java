package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.assertError;

import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.redis.RedisWaitingQueue;
import io.github.waitingqueue.redis.TestRedis;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** When Redis goes away under a running server, calls answer 503 QUEUE_UNAVAILABLE, not 500 or a hang. */
class UnavailableRedisTest {
  @Test
  void joinAnswers503WhenRedisIsDown() throws Exception {
    try (TestRedis redis = TestRedis.startLocal(List.of());
         UnifiedJedis client = redis.client();
         WaitingQueue queue = RedisWaitingQueue.builder(client).config(QueueConfig.builder()
             .signingKeys(SigningKeys.ofText("k1", ApiFixture.SECRET)).build()).build();
         WaitingRoomServer server = WaitingRoomServer.start(queue, WaitingRoomServer.DEFAULT_EVENT_SETTINGS, 0,
             Optional.empty())) {
      ApiClient api = new ApiClient(server.url());
      api.tokenOf("down-test", "before");
      redis.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      assertError(api.join("down-test", "after"), 503, "QUEUE_UNAVAILABLE");
    }
  }
}
