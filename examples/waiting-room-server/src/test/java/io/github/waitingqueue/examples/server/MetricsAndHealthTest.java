package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static io.github.waitingqueue.examples.server.ApiFixture.slowEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.redis.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Actuator: the waitingQueue health component and the waitingqueue_* meters on the Prometheus endpoint. */
class MetricsAndHealthTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static HttpResponse<String> get(WaitingRoomServer.Running server, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsUpWithRedisReachableAndScriptsLoaded() throws Exception {
    HttpResponse<String> health = get(ApiFixture.SERVER, "/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    Map<String, Object> body = ApiClient.object(health.body());
    assertThat(body.get("status")).isEqualTo("UP");
    Map<String, Object> queue = ApiClient.member(ApiClient.member(body, "components"), "waitingQueue");
    assertThat(queue.get("status")).isEqualTo("UP");
    assertThat(ApiClient.member(queue, "details")).containsEntry("redis", "PONG").containsEntry("scripts", "loaded");
  }

  @Test
  void healthIsDownWhenRedisGoesAway() throws Exception {
    try (TestRedis redis = TestRedis.startLocal(List.of());
         WaitingRoomServer.Running server = ApiFixture.start(redis.uri())) {
      assertThat(get(server, "/actuator/health").statusCode()).isEqualTo(200);
      redis.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      HttpResponse<String> health = get(server, "/actuator/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("\"waitingQueue\":{", "\"status\":\"DOWN\"");
    }
  }

  @Test
  void prometheusShowsCountersTimersAndGaugesWithoutUserIds() throws Exception {
    String event = slowEvent();
    String head = api.tokenOf(event, "user-head-7f3a");
    String second = api.tokenOf(event, "user-second-9c1d");
    api.enter(second); // refused: NOT_READY
    api.leave(api.tokenOf(event, "user-leaver-2b8e"));
    api.enter(head);
    String open = newEvent();
    api.join(open, "user-open-5e6f");

    String scrape = get(ApiFixture.SERVER, "/actuator/prometheus").body();
    assertThat(scrape).contains(
        "waitingqueue_joins_total{event=\"" + event + "\"} 3.0",
        "waitingqueue_admissions_total{event=\"" + event + "\"} 1.0",
        "waitingqueue_refusals_total{event=\"" + event + "\",reason=\"NOT_READY\"} 1.0",
        "waitingqueue_leaves_total{event=\"" + event + "\"} 1.0",
        "waitingqueue_evictions_total{event=\"" + event + "\"}",
        "waitingqueue_waiting{event=\"" + event + "\"} 1.0",
        "waitingqueue_admitted{event=\"" + event + "\"} 1.0",
        "waitingqueue_waiting{event=\"" + open + "\"} 1.0",
        "waitingqueue_operation_seconds_count{operation=\"join\"}",
        "waitingqueue_operation_seconds_count{operation=\"status\"}",
        "waitingqueue_operation_seconds_bucket{operation=\"enter\",le=");
    assertThat(scrape).doesNotContain("user-head", "user-second", "user-leaver", "user-open", head);
    // Spring's own request timer stays; the long-task timer each request would also start is left out.
    assertThat(scrape).contains("http_server_requests_seconds_count{").doesNotContain("http_server_requests_active");
  }
}
