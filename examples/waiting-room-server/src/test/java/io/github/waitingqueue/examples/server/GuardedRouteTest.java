package io.github.waitingqueue.examples.server;

import static io.github.waitingqueue.examples.server.ApiFixture.api;
import static io.github.waitingqueue.examples.server.ApiFixture.newEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checkout route behind the waiting room, over HTTP on a real Redis. */
class GuardedRouteTest {
  /** Follows no redirect, keeps no cookie: each request says exactly what it carries. */
  static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ApiFixture.SERVER.port() + path));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ApiFixture.SERVER.port() + path))
        .POST(HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String reservation(String event, String user) {
    ApiClient.Reply entered = api.enter(api.tokenOf(event, user));
    assertThat(entered.status()).isEqualTo(200);
    return entered.string("reservation_token");
  }

  @Test
  void browserWithoutReservationIsRedirectedToTheWaitingPageOfThatEvent() throws Exception {
    String event = newEvent();
    HttpResponse<String> page = get("/checkout/" + event + "?seat=12", Map.of("Accept", "text/html,*/*;q=0.8"));
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location)
        .endsWith("/?event=" + event + "&return=" + URLEncoder.encode("/checkout/" + event + "?seat=12",
            StandardCharsets.UTF_8)));
  }

  @Test
  void scriptWithoutReservationGets403SayingWhereToQueue() throws Exception {
    String event = newEvent();
    HttpResponse<String> order = get("/checkout/" + event + "/order", Map.of("Accept", "application/json"));
    assertThat(order.statusCode()).isEqualTo(403);
    Map<String, Object> body = ApiClient.object(order.body());
    assertThat(ApiClient.member(body, "error")).containsEntry("code", "RESERVATION_REQUIRED").containsKey("trace_id");
    assertThat(ApiClient.member(body, "waiting_room")).containsEntry("event_id", event)
        .containsEntry("join", "/api/v1/queue/join")
        .containsEntry("url", "/?event=" + event + "&return=%2Fcheckout%2F" + event + "%2Forder");
  }

  @Test
  void reservationAsBearerTokenOpensTheRoute() throws Exception {
    String event = newEvent();
    String reservation = reservation(event, "alice");
    HttpResponse<String> order = get("/checkout/" + event + "/order", Map.of("Authorization", "Bearer " + reservation));
    assertThat(order.statusCode()).isEqualTo(200);
    assertThat(ApiClient.object(order.body())).containsEntry("event_id", event)
        .containsEntry("user_id", "alice");
    HttpResponse<String> page = get("/checkout/" + event, Map.of("Authorization", "Bearer " + reservation,
        "Accept", "text/html"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("/assets/checkout.js");
  }

  @Test
  void waitingPageSetsAnHttpOnlyLaxCookieThatOpensTheRoute() throws Exception {
    String event = newEvent();
    ApiClient.Reply set = api.send("POST", "reservation/cookie",
        "{\"reservation_token\":\"" + reservation(event, "bob") + "\"}");
    assertThat(set.status()).isEqualTo(200);
    String cookie = set.raw().headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith(ReservationGuard.COOKIE + "=").contains("; Path=/checkout", "; HttpOnly",
        "; SameSite=Lax", "; Max-Age=").doesNotContain("Secure");
    String pair = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<String> page = get("/checkout/" + event, Map.of("Cookie", pair, "Accept", "text/html"));
    assertThat(page.statusCode()).isEqualTo(200);
  }

  @Test
  void reservationOfAnotherEventDoesNotOpenTheRoute() throws Exception {
    String reservation = reservation(newEvent(), "carol");
    HttpResponse<String> order = get("/checkout/" + newEvent() + "/order", Map.of("Authorization", "Bearer " + reservation));
    assertThat(order.statusCode()).isEqualTo(403);
  }

  @Test
  void forgedReservationDoesNotOpenTheRoute() throws Exception {
    String event = newEvent();
    HttpResponse<String> order = get("/checkout/" + event + "/order", Map.of("Cookie",
        ReservationGuard.COOKIE + "=AAAA.BBBB"));
    assertThat(order.statusCode()).isEqualTo(403);
  }

  @Test
  void completingThePurchaseEndsTheReservationAndClosesTheRoute() throws Exception {
    String event = newEvent();
    String reservation = reservation(event, "dave");
    HttpResponse<String> bought = post("/checkout/" + event + "/complete", Map.of("Authorization", "Bearer " + reservation));
    assertThat(bought.statusCode()).isEqualTo(200);
    assertThat(bought.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
    assertThat(api.stats(event).number("total_completed")).isEqualTo(1);
    assertThat(get("/checkout/" + event + "/order", Map.of("Authorization", "Bearer " + reservation)).statusCode())
        .isEqualTo(403);
  }
}
