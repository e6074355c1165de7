package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.assertError;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.examples.server.ApiClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DELETE /api/v1/queue/leave over HTTP on a real Redis. */
class LeaveApiTest {
  @Test
  void answers200Left() {
    Reply left = api.leave(api.tokenOf(newEvent(), "alice"));
    assertThat(left.status()).isEqualTo(200);
    assertThat(left.body()).isEqualTo(Map.of("status", "left"));
  }

  @Test
  void twiceIs404TokenNotFound() {
    String token = api.tokenOf(newEvent(), "alice");
    api.leave(token);
    assertError(api.leave(token), 404, "TOKEN_NOT_FOUND");
  }

  @Test
  void afterEnteringIs404TokenNotFound() {
    String token = api.tokenOf(newEvent(), "alice");
    api.enter(token);
    assertError(api.leave(token), 404, "TOKEN_NOT_FOUND");
  }

  @Test
  void withoutTokenIs400MissingToken() {
    assertError(api.send("DELETE", "queue/leave", null), 400, "MISSING_TOKEN");
  }
}
