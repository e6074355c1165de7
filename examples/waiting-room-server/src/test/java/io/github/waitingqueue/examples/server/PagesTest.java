package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** The pages and their assets are served from the jar; the browser test checks what they do. */
class PagesTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + ApiFixture.SERVER.port() + path);
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void rootIsTheWaitingRoomPage() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(MediaType.parseMediaType(page.headers().firstValue("Content-Type").orElseThrow()))
        .isEqualTo(MediaType.parseMediaType("text/html; charset=utf-8"));
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
    for (String asset : new String[] {"app.css", "api.js", "room.js", "operator.js", "checkout.js", "logo.svg"}) {
      assertThat(get("/assets/" + asset).statusCode()).as(asset).isEqualTo(200);
    }
  }

  @Test
  void pagesForbidScriptsFromElsewhere() throws Exception {
    assertThat(get("/").headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).startsWith("default-src 'self'"));
  }

  @Test
  void pathsOutsideTheWebFolderAreRefused() throws Exception {
    // Tomcat refuses an encoded slash outright (400); either way nothing outside the folder is served.
    assertThat(get("/assets/..%2Fapp.css").statusCode()).isIn(400, 404);
    assertThat(get("/assets/../application.yml").statusCode()).isIn(400, 404);
    assertThat(get("/WaitingRoomServer.class").statusCode()).isEqualTo(404);
    assertThat(get("/application.yml").statusCode()).isEqualTo(404);
  }
}
