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
 * body in separate segments without TCP_NODELAY, so Nagle's algorithm met delayed ACKs). One keep-alive
 * connection, 200 status calls one after the other, must average under 5 ms.
 */
class KeepAliveTest {
  @Test
  void twoHundredSequentialStatusCallsOnOneKeepAliveConnectionAverageUnder5Ms() throws Exception {
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
    assertThat(averageMillis).as("average ms per request over one keep-alive connection").isLessThan(5.0);
  }
}
