package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.InMemoryWaitingQueue;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.WaitingQueue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pages and their assets are served from the jar; the browser test checks what they do. */
class PagesTest {
  static WaitingQueue queue;
  static WaitingRoomServer server;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    queue = InMemoryWaitingQueue.create(QueueConfig.builder()
        .signingKeys(SigningKeys.ofText("k1", ApiFixture.SECRET)).build());
    server = WaitingRoomServer.start(queue, WaitingRoomServer.DEFAULT_EVENT_SETTINGS, 0, Optional.empty());
  }

  @AfterAll
  static void stop() {
    server.close();
    queue.close();
  }

  static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void rootIsTheWaitingRoomPage() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("id=\"join-form\"", "/assets/room.js");
  }

  @Test
  void operatorPageHasTheChart() throws Exception {
    HttpResponse<String> page = get("/operator");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<canvas id=\"chart\"", "/assets/operator.js");
  }

  @Test
  void everyAssetThePagesLinkIsServed() throws Exception {
    for (String asset : new String[] {"app.css", "api.js", "room.js", "operator.js", "logo.svg"}) {
      assertThat(get("/assets/" + asset).statusCode()).as(asset).isEqualTo(200);
    }
  }

  @Test
  void pagesForbidScriptsFromElsewhere() throws Exception {
    assertThat(get("/").headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).startsWith("default-src 'self'"));
  }

  @Test
  void pathsOutsideTheWebFolderAreNotFound() throws Exception {
    assertThat(get("/assets/..%2Fapp.css").statusCode()).isEqualTo(404);
    assertThat(get("/WaitingRoomServer.class").statusCode()).isEqualTo(404);
  }
}
