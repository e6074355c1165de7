package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.assertError;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.examples.server.ApiClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /api/v1/admin/open, pause, close and schedule, and what waiters see of them. */
class LifecycleApiTest {
  static Reply admin(String call, String eventId, String extraJson) {
    return api.send("POST", "admin/" + call, "{\"event_id\":\"" + eventId + "\"" + extraJson + "}");
  }

  @Test
  void pauseAnswersTheStatsWithStatePaused() {
    String event = newEvent();
    Reply paused = admin("pause", event, "");
    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.body()).containsEntry("state", "paused");
  }

  @Test
  void pausedEventTellsWaitersAndAdmitsNobody() {
    String event = newEvent();
    String token = api.tokenOf(event, "alice");
    admin("pause", event, "");
    Reply status = api.status(token);
    assertThat(status.string("status")).isEqualTo("paused");
    assertThat(status.number("position")).isEqualTo(1);
    assertError(api.enter(token), 403, "NOT_READY");
  }

  @Test
  void openResumesAPausedEvent() {
    String event = newEvent();
    String token = api.tokenOf(event, "alice");
    admin("pause", event, "");
    admin("open", event, "");
    assertThat(api.enter(token).status()).isEqualTo(200);
  }

  @Test
  void closedEventRefusesJoinsWith409EventClosed() {
    String event = newEvent();
    admin("close", event, "");
    assertError(api.join(event, "late"), 409, "EVENT_CLOSED");
  }

  @Test
  void closedEventTellsWaitersAndRefusesEntryWith409() {
    String event = newEvent();
    String token = api.tokenOf(event, "alice");
    admin("close", event, "");
    assertThat(api.status(token).string("status")).isEqualTo("closed");
    assertError(api.enter(token), 409, "EVENT_CLOSED");
  }

  @Test
  void scheduledEventPutsJoinersInThePreQueueWithACountdown() {
    String event = newEvent();
    assertThat(admin("schedule", event, ",\"opens_in_sec\":60").body()).containsEntry("state", "scheduled");
    Reply joined = api.join(event, "early");
    assertThat(joined.string("status")).isEqualTo("pre_queue");
    assertThat(joined.number("position_hint")).isZero();
    Reply status = api.status(joined.string("waiting_token"));
    assertThat(status.string("status")).isEqualTo("pre_queue");
    assertThat(status.number("eta_sec")).isBetween(55L, 60L);
  }

  @Test
  void scheduleTakesAnIsoInstant() {
    String event = newEvent();
    Reply scheduled = admin("schedule", event, ",\"opens_at\":\"2099-01-01T10:00:00Z\"");
    assertThat(scheduled.body()).containsEntry("opens_at", "2099-01-01T10:00:00Z");
  }

  @Test
  void scheduleWithAMalformedTimeIs400InvalidRequest() {
    assertError(admin("schedule", newEvent(), ",\"opens_at\":\"tomorrow\""), 400, "INVALID_REQUEST");
  }

  @Test
  void scheduleOnceSomeoneIsInLineIs409Conflict() {
    String event = newEvent();
    api.join(event, "alice");
    assertError(admin("schedule", event, ",\"opens_in_sec\":60"), 409, "CONFLICT");
  }

  @Test
  void lifecycleCallWithoutEventIdIs400MissingEventId() {
    assertError(api.send("POST", "admin/pause", "{}"), 400, "MISSING_EVENT_ID");
  }

  @Test
  void idleTimeoutAndReadyGraceAreSettings() {
    String event = newEvent();
    api.settings(event, Map.of("idle_timeout_sec", 30, "ready_grace_sec", 10));
    @SuppressWarnings("unchecked")
    Map<String, Object> settings = (Map<String, Object>) api.stats(event).body().get("settings");
    assertThat(settings).containsEntry("idle_timeout_sec", 30).containsEntry("ready_grace_sec", 10);
  }
}
