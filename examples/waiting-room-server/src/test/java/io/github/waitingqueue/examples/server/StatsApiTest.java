package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.assertError;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.examples.server.ApiClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /api/v1/queue/stats over HTTP on a real Redis. */
class StatsApiTest {
  @Test
  void countsWaitingJoinedEnteredAndLeft() {
    String event = newEvent();
    api.enter(api.tokenOf(event, "a"));
    api.leave(api.tokenOf(event, "b"));
    api.join(event, "c");
    Reply stats = api.stats(event);
    assertThat(stats.status()).isEqualTo(200);
    assertThat(stats.body()).containsEntry("event_id", event).containsEntry("exists", true);
    assertThat(stats.number("waiting")).isEqualTo(1);
    assertThat(stats.number("admitted")).isEqualTo(1);
    assertThat(stats.number("total_joined")).isEqualTo(3);
    assertThat(stats.number("total_entered")).isEqualTo(1);
    assertThat(stats.number("total_left")).isEqualTo(1);
  }

  @Test
  void ofAnEventNotYetCreatedShowsTheDefaults() {
    Reply stats = api.stats(newEvent());
    assertThat(stats.status()).isEqualTo(200);
    assertThat(stats.body()).containsEntry("exists", false);
    assertThat(stats.body().get("settings")).isEqualTo(Map.of("admission_rate", 5, "burst", 10, "capacity", 0,
        "reservation_ttl_sec", 300, "idle_timeout_sec", 180, "ready_grace_sec", 60, "inventory", 0,
        "per_user_limit", "none", "lanes", Map.of()));
    assertThat(stats.body()).containsEntry("measured_end_rate", 0.0);
  }

  @Test
  void withoutEventIdIs400MissingEventId() {
    assertError(api.send("GET", "queue/stats", null), 400, "MISSING_EVENT_ID");
  }
}
