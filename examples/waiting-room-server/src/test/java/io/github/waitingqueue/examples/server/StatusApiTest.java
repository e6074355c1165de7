package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.assertError;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static io.github.waitingqueue.examples.server.ApiFixture.slowEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.examples.server.ApiClient.Reply;
import org.junit.jupiter.api.Test;

/** GET /api/v1/queue/status over HTTP on a real Redis. */
class StatusApiTest {
  @Test
  void ofWaitingTicketGivesPositionEtaAndWaitingTime() {
    String event = slowEvent();
    api.join(event, "head");
    Reply status = api.status(api.tokenOf(event, "second"));
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.body()).containsOnlyKeys("status", "position", "eta_sec", "waiting_time", "ready_for_entry",
        "poll_after_ms");
    assertThat(status.string("status")).isEqualTo("waiting");
    assertThat(status.number("position")).isEqualTo(2);
    assertThat(status.number("eta_sec")).isPositive();
    assertThat(status.number("waiting_time")).isNotNegative();
    assertThat(status.body().get("ready_for_entry")).isEqualTo(false);
  }

  @Test
  void ofTicketWithinTheAllowanceIsReady() {
    Reply status = api.status(api.tokenOf(newEvent(), "alice"));
    assertThat(status.string("status")).isEqualTo("ready");
    assertThat(status.body().get("ready_for_entry")).isEqualTo(true);
    assertThat(status.number("eta_sec")).isZero();
  }

  @Test
  void saysWhenToPollNextAndAHiddenTabPollsAtTheSlowestPace() {
    String token = api.tokenOf(newEvent(), "alice");
    // The head of the line is ready: the library says 1 s; a hidden tab polls in the 10% below 15 s.
    assertThat(api.status(token).number("poll_after_ms")).isEqualTo(1000L);
    Reply hidden = api.send("GET", "queue/status?visibility=hidden&token=" + ApiClient.encode(token), null);
    assertThat(hidden.number("poll_after_ms")).isBetween(13_500L, 15_000L);
  }

  @Test
  void withoutTokenIs400MissingToken() {
    assertError(api.send("GET", "queue/status", null), 400, "MISSING_TOKEN");
  }

  @Test
  void ofGarbledTokenIs404TokenNotFound() {
    assertError(api.status("not-a-token"), 404, "TOKEN_NOT_FOUND");
  }

  @Test
  void ofTokenWithForgedSignatureIs404TokenNotFound() {
    String token = api.tokenOf(newEvent(), "alice");
    char last = token.charAt(token.length() - 1);
    String forged = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertError(api.status(forged), 404, "TOKEN_NOT_FOUND");
  }

  @Test
  void afterLeavingIs404TokenNotFound() {
    String token = api.tokenOf(newEvent(), "alice");
    api.leave(token);
    assertError(api.status(token), 404, "TOKEN_NOT_FOUND");
  }
}
