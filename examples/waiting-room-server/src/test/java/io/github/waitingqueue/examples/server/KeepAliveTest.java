package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's bug: the JDK's HTTP server answered a keep-alive client in 42-48 ms per request (headers and
 * body in separate segments without TCP_NODELAY, so Nagle's algorithm met delayed ACKs: 40 ms a request).
 * One keep-alive connection, 200 status calls one after the other, must average under 20 ms: half the
 * delayed ACK, so the bug fails it whatever else the machine runs (a healthy server answers in about 1 ms,
 * 2 to 7 ms at a load average of 20; speed itself is the benchmark's `http` section's to measure).
 */
class KeepAliveTest {
  @Test
  void twoHundredSequentialStatusCallsOnOneKeepAliveConnectionAreNotHeldByDelayedAcks() throws Exception {
    String token = ApiFixture.api.tokenOf(ApiFixture.newEvent(), "keep-alive");
    // HTTP/1.1 with keep-alive (the client's default pool); one caller, so one connection.
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ApiFixture.SERVER.port()
        + "/api/v1/queue/status?token=" + ApiClient.encode(token))).build();
    for (int i = 0; i < 50; i++) {
      assertThat(client.send(status, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
    long start = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> response = client.send(status, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Connection")).as("the server keeps the connection")
          .isNotEqualTo(java.util.Optional.of("close"));
    }
    double averageMillis = (System.nanoTime() - start) / 1e6 / 200;
    assertThat(averageMillis).as("average ms per request over one keep-alive connection").isLessThan(20.0);
  }
}
