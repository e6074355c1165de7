package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.assertError;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.examples.server.ApiClient.Reply;
import org.junit.jupiter.api.Test;

/** The origin gateway's three scenarios and the five-user one, over HTTP on a real Redis. */
class OriginScenariosTest {
  @Test
  void oneUserJoinsAtPositionOneEntersAndIsThenNotFound() {
    String event = newEvent();
    Reply joined = api.join(event, "solo");
    assertThat(joined.number("position_hint")).isEqualTo(1);
    String token = joined.string("waiting_token");
    assertThat(api.position(token)).isEqualTo(1);
    assertThat(api.enter(token).status()).isEqualTo(200);
    assertError(api.status(token), 404, "TOKEN_NOT_FOUND");
  }

  @Test
  void thirdUserMovesFromThreeToOneAsTheFirstTwoEnter() {
    String event = newEvent();
    String a = api.tokenOf(event, "A");
    String b = api.tokenOf(event, "B");
    String c = api.tokenOf(event, "C");
    assertThat(api.position(c)).isEqualTo(3);
    assertThat(api.enter(a).status()).isEqualTo(200);
    assertThat(api.position(c)).isEqualTo(2);
    assertThat(api.enter(b).status()).isEqualTo(200);
    assertThat(api.position(c)).isEqualTo(1);
  }

  @Test
  void thirdUserMovesToTwoWhenTheSecondLeaves() {
    String event = newEvent();
    api.join(event, "A");
    String b = api.tokenOf(event, "B");
    String c = api.tokenOf(event, "C");
    assertThat(api.leave(b).status()).isEqualTo(200);
    assertThat(api.position(c)).isEqualTo(2);
  }

  @Test
  void fifthUserMovesFromFiveToThreeAsUsersOneAndTwoEnter() {
    String event = newEvent();
    String[] tokens = new String[5];
    for (int i = 0; i < 5; i++) {
      tokens[i] = api.tokenOf(event, "user" + (i + 1));
    }
    assertThat(api.position(tokens[4])).isEqualTo(5);
    assertThat(api.enter(tokens[0]).status()).isEqualTo(200);
    assertThat(api.position(tokens[4])).isEqualTo(4);
    assertThat(api.enter(tokens[1]).status()).isEqualTo(200);
    assertThat(api.position(tokens[4])).isEqualTo(3);
  }
}
