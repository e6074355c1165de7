package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.assertError;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.examples.server.ApiClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sale over HTTP on a real Redis: sold out, and one place per person (issue 12). */
class SaleApiTest {
  private static String sale(int inventory, String perUserLimit) {
    String event = newEvent();
    Reply set = api.settings(event, Map.of("inventory", inventory, "per_user_limit", perUserLimit));
    assertThat(set.status()).as(set.raw().body()).isEqualTo(200);
    assertThat(ApiClient.member(set.body(), "settings")).containsEntry("inventory", inventory)
        .containsEntry("per_user_limit", perUserLimit);
    return event;
  }

  private static String reservationOf(String event, String user) {
    Reply entered = api.enter(api.tokenOf(event, user));
    assertThat(entered.status()).as(entered.raw().body()).isEqualTo(200);
    return entered.string("reservation_token");
  }

  @Test
  void theLastCompletionSellsOutWaitersSeeSoldOutAndJoinAndEnterAre409SoldOut() {
    String event = sale(1, "none");
    String reservation = reservationOf(event, "buyer");
    String waiting = api.tokenOf(event, "waiter");

    assertThat(api.endReservation("complete", reservation).status()).isEqualTo(200);

    Reply status = api.status(waiting);
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.string("status")).isEqualTo("sold_out");
    assertError(api.join(event, "late"), 409, "SOLD_OUT");
    assertError(api.enter(waiting), 409, "SOLD_OUT");
    Reply stats = api.stats(event);
    assertThat(stats.string("state")).isEqualTo("sold_out");
    assertThat(stats.number("remaining_items")).isZero();
  }

  @Test
  void completingAReservationPastTheInventoryIs409SoldOut() {
    String event = sale(1, "none");
    String first = reservationOf(event, "a");
    String second = reservationOf(event, "b");
    api.endReservation("complete", first);

    assertError(api.endReservation("complete", second), 409, "SOLD_OUT");
    assertError(api.reservation(second), 404, "RESERVATION_NOT_FOUND");
  }

  @Test
  void aUserHoldingAReservationIs409HoldsReservationOnJoin() {
    String event = sale(0, "one_held");
    reservationOf(event, "alice");

    assertError(api.join(event, "alice"), 409, "HOLDS_RESERVATION");
  }

  @Test
  void aBuyerIs409AlreadyPurchasedOnJoinUnderOnePurchase() {
    String event = sale(0, "one_purchase");
    api.endReservation("complete", reservationOf(event, "alice"));

    assertError(api.join(event, "alice"), 409, "ALREADY_PURCHASED");
  }

  @Test
  void aNegativeInventoryOrAnUnknownLimitIs400AndChangesNothing() {
    String event = sale(3, "none");

    assertError(api.settings(event, Map.of("inventory", -1)), 400, "INVALID_REQUEST");
    assertError(api.settings(event, Map.of("per_user_limit", "two")), 400, "INVALID_REQUEST");
    assertThat(ApiClient.member(api.stats(event).body(), "settings")).containsEntry("inventory", 3)
        .containsEntry("per_user_limit", "none");
  }
}
