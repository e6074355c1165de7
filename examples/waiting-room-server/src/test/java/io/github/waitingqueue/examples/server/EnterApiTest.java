package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.assertError;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static io.github.waitingqueue.examples.server.ApiFixture.slowEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.examples.server.ApiClient.Reply;
import org.junit.jupiter.api.Test;

/** POST /api/v1/queue/enter over HTTP on a real Redis. */
class EnterApiTest {
  @Test
  void withinTheAllowanceGrantsAReservationWithItsTtl() {
    Reply entered = api.enter(api.tokenOf(newEvent(), "alice"));
    assertThat(entered.status()).isEqualTo(200);
    assertThat(entered.body()).containsOnlyKeys("admission", "reservation_token", "ttl_sec");
    assertThat(entered.string("admission")).isEqualTo("granted");
    assertThat(entered.string("reservation_token")).isNotBlank();
    assertThat(entered.number("ttl_sec")).isBetween(298L, 300L);
  }

  @Test
  void repeatedGrantsTheSameReservation() {
    String token = api.tokenOf(newEvent(), "alice");
    Reply first = api.enter(token);
    Reply again = api.enter(token);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.string("reservation_token")).isEqualTo(first.string("reservation_token"));
  }

  @Test
  void beyondTheAllowanceIs403NotReady() {
    String event = slowEvent();
    api.join(event, "head");
    assertError(api.enter(api.tokenOf(event, "second")), 403, "NOT_READY");
  }

  @Test
  void withoutTokenIs400MissingToken() {
    assertError(api.send("POST", "queue/enter", "{}"), 400, "MISSING_TOKEN");
  }

  @Test
  void withMalformedJsonIs400InvalidRequest() {
    assertError(api.send("POST", "queue/enter", "waiting_token=abc"), 400, "INVALID_REQUEST");
  }

  @Test
  void withGarbledTokenIs404TokenNotFound() {
    assertError(api.enter("AAAA.BBBB"), 404, "TOKEN_NOT_FOUND");
  }

  @Test
  void afterLeavingIs404TokenNotFound() {
    String token = api.tokenOf(newEvent(), "alice");
    api.leave(token);
    assertError(api.enter(token), 404, "TOKEN_NOT_FOUND");
  }
}
