package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.assertError;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.examples.server.ApiClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /api/v1/reservation and POST /reservation/complete and /release: the downstream service's calls. */
class ReservationApiTest {
  static String admitted(String event, String user) {
    Reply entered = api.enter(api.tokenOf(event, user));
    assertThat(entered.status()).isEqualTo(200);
    return entered.string("reservation_token");
  }

  @Test
  void heldReservationIsVerifiedWithItsEventUserAndTtl() {
    String event = newEvent();
    Reply held = api.reservation(admitted(event, "alice"));
    assertThat(held.status()).isEqualTo(200);
    assertThat(held.body()).containsEntry("status", "held").containsEntry("event_id", event)
        .containsEntry("user_id", "alice");
    assertThat(held.number("ttl_sec")).isBetween(298L, 300L);
  }

  @Test
  void completedReservationIsNoLongerHeld() {
    String reservation = admitted(newEvent(), "alice");
    assertThat(api.endReservation("complete", reservation).body()).isEqualTo(Map.of("status", "completed"));
    assertError(api.reservation(reservation), 404, "RESERVATION_NOT_FOUND");
  }

  @Test
  void releasedReservationCannotBeCompleted() {
    String reservation = admitted(newEvent(), "alice");
    assertThat(api.endReservation("release", reservation).body()).isEqualTo(Map.of("status", "released"));
    assertError(api.endReservation("complete", reservation), 404, "RESERVATION_NOT_FOUND");
  }

  @Test
  void completingFreesTheCapacitySlotForTheNextInLine() {
    String event = newEvent();
    api.settings(event, Map.of("capacity", 1));
    String first = admitted(event, "first");
    String next = api.tokenOf(event, "next");
    assertError(api.enter(next), 403, "NOT_READY");
    api.endReservation("complete", first);
    assertThat(api.enter(next).status()).isEqualTo(200);
  }

  @Test
  void waitingTokenIsNotAReservation() {
    assertError(api.reservation(api.tokenOf(newEvent(), "alice")), 404, "RESERVATION_NOT_FOUND");
  }

  @Test
  void withoutTokenIs400MissingToken() {
    assertError(api.send("POST", "reservation/release", "{}"), 400, "MISSING_TOKEN");
  }
}
