package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.assertError;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.examples.server.ApiClient.Reply;
import org.junit.jupiter.api.Test;

/** POST /api/v1/queue/join over HTTP on a real Redis. */
class JoinApiTest {
  @Test
  void answers202WithTokenRealPositionAndWaitingStatus() {
    String event = newEvent();
    api.join(event, "first");
    Reply second = api.join(event, "second");
    assertThat(second.status()).isEqualTo(202);
    assertThat(second.body()).containsOnlyKeys("waiting_token", "position_hint", "status");
    assertThat(second.string("waiting_token")).isNotBlank();
    assertThat(second.number("position_hint")).isEqualTo(2);
    assertThat(second.string("status")).isEqualTo("waiting");
  }

  @Test
  void againWhileWaitingReturnsTheSameTicket() {
    String event = newEvent();
    Reply first = api.join(event, "alice");
    Reply again = api.join(event, "alice");
    assertThat(again.string("waiting_token")).isEqualTo(first.string("waiting_token"));
    assertThat(again.number("position_hint")).isEqualTo(1);
  }

  @Test
  void withoutEventIdIs400MissingEventId() {
    assertError(api.send("POST", "queue/join", "{\"user_id\":\"alice\"}"), 400, "MISSING_EVENT_ID");
  }

  @Test
  void withoutUserIdIs400InvalidRequest() {
    assertError(api.send("POST", "queue/join", "{\"event_id\":\"" + newEvent() + "\"}"), 400, "INVALID_REQUEST");
  }

  @Test
  void withMalformedJsonIs400InvalidRequest() {
    assertError(api.send("POST", "queue/join", "{\"event_id\": "), 400, "INVALID_REQUEST");
  }

  @Test
  void withInvalidEventIdIs400InvalidRequest() {
    assertError(api.join("bad{event}", "alice"), 400, "INVALID_REQUEST");
  }

  @Test
  void withNonStringUserIdIs400InvalidRequest() {
    assertError(api.send("POST", "queue/join", "{\"event_id\":\"" + newEvent() + "\",\"user_id\":7}"),
        400, "INVALID_REQUEST");
  }
}
