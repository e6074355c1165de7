package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.assertError;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.examples.server.ApiClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** What every API answer shares: error bodies, trace ids, methods, unknown calls. */
class RoutingApiTest {
  @Test
  void unknownApiCallIs404NotFound() {
    assertError(api.send("GET", "queue/nothing", null), 404, "NOT_FOUND");
  }

  @Test
  void wrongMethodIs405WithAllowHeader() {
    Reply reply = api.send("GET", "queue/join", null);
    assertError(reply, 405, "METHOD_NOT_ALLOWED");
    assertThat(reply.raw().headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void statusPollWithWrongMethodIs405WithAllowHeader() {
    // the status poll has its own handler (StatusPollHandler): the same answer as every other call
    Reply reply = api.send("POST", "queue/status?token=x", null);
    assertError(reply, 405, "METHOD_NOT_ALLOWED");
    assertThat(reply.raw().headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void errorTraceIdIsTheResponsesTraceHeader() {
    Reply reply = api.status("garbled");
    assertThat(reply.raw().headers().firstValue("X-Trace-Id")).hasValue((String) reply.error().get("trace_id"));
  }

  @Test
  void callersRequestIdBecomesTheTraceId() {
    Reply reply = api.send("GET", "queue/status", null, Map.of("X-Request-Id", "req-123"));
    assertThat(reply.error()).containsEntry("trace_id", "req-123");
  }

  @Test
  void answersAreJson() {
    Reply reply = api.join(newEvent(), "alice");
    assertThat(MediaType.parseMediaType(reply.raw().headers().firstValue("Content-Type").orElseThrow())
        .isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue();
  }

  @Test
  void bodyWithoutAJsonContentTypeIsReadAsJson() {
    // curl -d sends a form's type; the origin's clients sent none: both are read as JSON.
    String body = "{\"event_id\":\"" + newEvent() + "\",\"user_id\":\"alice\"}";
    assertThat(api.send("POST", "queue/join", body, Map.of("Content-Type", "application/x-www-form-urlencoded"))
        .status()).isEqualTo(202);
  }

  @Test
  void bodyOver16KbIs400InvalidRequest() {
    String body = "{\"event_id\":\"" + "x".repeat(17 * 1024) + "\"}";
    assertError(api.send("POST", "queue/join", body), 400, "INVALID_REQUEST");
  }
}
