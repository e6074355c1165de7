package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.assertError;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.examples.server.ApiClient.Reply;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Presale lanes over HTTP on a real Redis: invite codes minted by the operator decide who joins a lane (issue 12). */
class LaneApiTest {
  /** A slow event (only the head may enter) with lanes fanclub (priority 2) and presale (1). */
  private static String presale() {
    String event = newEvent();
    Reply set = api.settings(event, Map.of("admission_rate", 0.001, "burst", 1,
        "lanes", Map.of("fanclub", 2, "presale", 1)));
    assertThat(set.status()).as(set.raw().body()).isEqualTo(200);
    assertThat(ApiClient.member(ApiClient.member(set.body(), "settings"), "lanes"))
        .containsEntry("fanclub", 2).containsEntry("presale", 1);
    return event;
  }

  private static Reply invite(String event, String lane, String user) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event_id", event);
    body.put("lane", lane);
    if (user != null) {
      body.put("user_id", user);
    }
    return api.send("POST", "admin/invites", ApiClient.JSON.writeValueAsString(body));
  }

  private static String code(String event, String lane, String user) {
    Reply minted = invite(event, lane, user);
    assertThat(minted.status()).as(minted.raw().body()).isEqualTo(201);
    return minted.string("invite_code");
  }

  private static Reply join(String event, String user, String invite) {
    return api.send("POST", "queue/join", ApiClient.JSON.writeValueAsString(
        Map.of("event_id", event, "user_id", user, "invite", invite)));
  }

  @Test
  void anInvitedJoinerStandsAheadOfTheGeneralLineAndSaysItsLane() {
    String event = presale();
    String general = api.tokenOf(event, "early-bird");
    String fanCode = code(event, "fanclub", null);

    Reply fan = join(event, "fan", fanCode);
    Reply pre = join(event, "pre", code(event, "presale", "pre"));

    assertThat(fan.status()).as(fan.raw().body()).isEqualTo(202);
    assertThat(fan.string("lane")).isEqualTo("fanclub");
    assertThat(fan.number("position_hint")).isEqualTo(1);
    assertThat(pre.number("position_hint")).isEqualTo(2);
    assertThat(api.position(general)).isEqualTo(3);
    assertThat(join(event, "another-fan", fanCode).number("position_hint")).as("a code for anyone").isEqualTo(2);
    assertThat(ApiClient.member(api.stats(event).body(), "waiting_by_priority"))
        .containsEntry("2", 2).containsEntry("1", 1).containsEntry("0", 1);
  }

  @Test
  void aForgedGarbledForeignOrOtherUsersInviteIs400InvalidInviteAndJoinsNothing() {
    String event = presale();
    String forUser = code(event, "fanclub", "alice");
    String[] parts = forUser.split("\\.");
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[0])).replace("alice", "mallory").getBytes()) + "." + parts[1];

    assertError(join(event, "mallory", forUser), 400, "INVALID_INVITE");
    assertError(join(event, "mallory", forged), 400, "INVALID_INVITE");
    assertError(join(event, "bob", "not-a-code"), 400, "INVALID_INVITE");
    assertError(join(event, "bob", "x".repeat(5000)), 400, "INVALID_INVITE");
    assertError(join(event, "alice", code(presale(), "fanclub", "alice")), 400, "INVALID_INVITE");
    assertThat(api.stats(event).number("waiting")).isZero();
  }

  @Test
  void anInviteToALaneTheEventLacksIsNotMinted() {
    String event = presale();

    assertError(invite(event, "vip", null), 400, "UNKNOWN_LANE");
    assertError(invite(event, "", null), 400, "INVALID_REQUEST");
  }

  @Test
  void anInviteToALaneRemovedSinceIs409LaneClosed() {
    String event = presale();
    String fanCode = code(event, "fanclub", null);
    assertThat(api.settings(event, Map.of("lanes", Map.of("presale", 1))).status()).isEqualTo(200);

    assertError(join(event, "fan", fanCode), 409, "LANE_CLOSED");
    assertThat(api.stats(event).number("waiting")).isZero();
  }

  @Test
  void aLaneWithABadNameOrPriorityIs400AndChangesNothing() {
    String event = presale();

    assertError(api.settings(event, Map.of("lanes", Map.of("fan club", 2))), 400, "INVALID_REQUEST");
    assertError(api.settings(event, Map.of("lanes", Map.of("fanclub", 9))), 400, "INVALID_REQUEST");
    assertThat(ApiClient.member(ApiClient.member(api.stats(event).body(), "settings"), "lanes"))
        .containsEntry("fanclub", 2).containsEntry("presale", 1);
  }
}
