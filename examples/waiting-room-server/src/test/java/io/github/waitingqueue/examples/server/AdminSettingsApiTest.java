package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.assertError;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.examples.server.ApiClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /api/v1/admin/settings over HTTP on a real Redis. */
class AdminSettingsApiTest {
  @Test
  void changeRateBurstCapacityAndReservationLifetime() {
    String event = newEvent();
    Reply changed = api.settings(event, Map.of("admission_rate", 2.5, "burst", 4, "capacity", 100,
        "reservation_ttl_sec", 90));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(api.stats(event).body().get("settings")).isEqualTo(ApiClient.JSON.readValue(
        "{\"admission_rate\":2.5,\"burst\":4,\"capacity\":100,\"reservation_ttl_sec\":90,"
        + "\"idle_timeout_sec\":180,\"ready_grace_sec\":60,\"inventory\":0,\"per_user_limit\":\"none\",\"lanes\":{}}", Map.class));
  }

  @Test
  void keepWhatTheBodyDoesNotName() {
    String event = newEvent();
    api.settings(event, Map.of("admission_rate", 3, "burst", 7));
    api.settings(event, Map.of("capacity", 20));
    assertThat(api.stats(event).body().get("settings")).isEqualTo(ApiClient.JSON.readValue(
        "{\"admission_rate\":3,\"burst\":7,\"capacity\":20,\"reservation_ttl_sec\":300,"
        + "\"idle_timeout_sec\":180,\"ready_grace_sec\":60,\"inventory\":0,\"per_user_limit\":\"none\",\"lanes\":{}}", Map.class));
  }

  @Test
  void capacityLimitsAdmissions() {
    String event = newEvent();
    api.settings(event, Map.of("capacity", 1));
    api.enter(api.tokenOf(event, "a"));
    assertError(api.enter(api.tokenOf(event, "b")), 403, "NOT_READY");
  }

  @Test
  void outOfRangeIs400InvalidRequest() {
    assertError(api.settings(newEvent(), Map.of("burst", 0)), 400, "INVALID_REQUEST");
  }

  @Test
  void fractionalBurstIs400InvalidRequest() {
    assertError(api.settings(newEvent(), Map.of("burst", 2.5)), 400, "INVALID_REQUEST");
  }

  @Test
  void numberAsTextIs400InvalidRequestNamingTheField() {
    Reply reply = api.settings(newEvent(), Map.of("burst", "3"));
    assertError(reply, 400, "INVALID_REQUEST");
    assertThat(reply.error().get("message")).asString().contains("burst");
  }

  @Test
  void withoutEventIdIs400MissingEventId() {
    assertError(api.send("POST", "admin/settings", "{\"burst\":3}"), 400, "MISSING_EVENT_ID");
  }

  @Test
  void needTheBearerTokenWhenTheServerHasOne() {
    try (WaitingRoomServer.Running guarded = ApiFixture.start(ApiFixture.REDIS.uri(),
        "--waitingroom.admin-token=operator-secret")) {
      ApiClient guardedApi = new ApiClient(guarded.url());
      String body = "{\"event_id\":\"" + newEvent() + "\",\"burst\":3}";
      assertError(guardedApi.send("POST", "admin/settings", body), 401, "UNAUTHORIZED");
      assertError(guardedApi.send("POST", "admin/settings", body, Map.of("Authorization", "Bearer wrong")),
          401, "UNAUTHORIZED");
      assertThat(guardedApi.send("POST", "admin/settings", body,
          Map.of("Authorization", "Bearer operator-secret")).status()).isEqualTo(200);
    }
  }
}
