package io.github.waitingqueue.examples.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.InvalidTokenException;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.WaitingQueue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The REST API under {@code /api/v1}: the origin gateway's four queue calls, unchanged, plus stats and the
 * operators' admin calls.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>call</th><th>success</th><th>failures</th></tr>
 *   <tr><td>{@code POST /queue/join} {@code {"event_id","user_id"}}</td><td>202</td><td>400 MISSING_EVENT_ID,
 *       INVALID_REQUEST</td></tr>
 *   <tr><td>{@code GET /queue/status?token=}</td><td>200</td><td>400 MISSING_TOKEN, 404 TOKEN_NOT_FOUND</td></tr>
 *   <tr><td>{@code POST /queue/enter} {@code {"waiting_token"}}</td><td>200</td><td>400 MISSING_TOKEN,
 *       403 NOT_READY, 404 TOKEN_NOT_FOUND</td></tr>
 *   <tr><td>{@code DELETE /queue/leave?token=}</td><td>200</td><td>400 MISSING_TOKEN, 404 TOKEN_NOT_FOUND</td></tr>
 *   <tr><td>{@code GET /queue/stats?event_id=}</td><td>200</td><td>400 MISSING_EVENT_ID</td></tr>
 *   <tr><td>{@code POST /admin/settings} {@code {"event_id", "admission_rate"?, "burst"?, "capacity"?,
 *       "reservation_ttl_sec"?}}</td><td>200</td><td>400, 401 UNAUTHORIZED</td></tr>
 * </table>
 *
 * <p>A token that is garbled, forged or of the wrong kind is answered like one that is unknown:
 * 404 TOKEN_NOT_FOUND. The origin gateway looked every token up and answered 404 when it found nothing, so
 * its clients already handle exactly that; the message says the token was not recognised.
 */
final class QueueApi implements HttpHandler {
  static final String BASE = "/api/v1";

  private final WaitingQueue queue;
  private final EventSettings defaultSettings;
  private final Optional<String> adminToken;
  private final Map<String, Route> routes = new LinkedHashMap<>();

  private record Route(String method, Http.Handler handler) {}

  QueueApi(WaitingQueue queue, EventSettings defaultSettings, Optional<String> adminToken) {
    this.queue = queue;
    this.defaultSettings = defaultSettings;
    this.adminToken = adminToken;
    routes.put(BASE + "/queue/join", new Route("POST", this::join));
    routes.put(BASE + "/queue/status", new Route("GET", this::status));
    routes.put(BASE + "/queue/enter", new Route("POST", this::enter));
    routes.put(BASE + "/queue/leave", new Route("DELETE", this::leave));
    routes.put(BASE + "/queue/stats", new Route("GET", this::stats));
    routes.put(BASE + "/admin/settings", new Route("POST", admin(this::updateSettings)));
  }

  @Override
  public void handle(HttpExchange exchange) {
    Http.handle(exchange, request -> {
      Route route = routes.get(exchange.getRequestURI().getPath());
      if (route == null) {
        throw new ApiException(404, "NOT_FOUND", "no such API call: " + exchange.getRequestURI().getPath());
      }
      if (!route.method.equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", route.method);
        throw new ApiException(405, "METHOD_NOT_ALLOWED", "use " + route.method + " for this call");
      }
      return route.handler.handle(request);
    });
  }

  private Http.Answer join(Http request) throws java.io.IOException {
    Map<String, Object> body = request.jsonBody();
    String eventId = Http.string(body, "event_id");
    if (eventId == null) {
      throw new ApiException(400, "MISSING_EVENT_ID", "event_id is required");
    }
    String userId = Http.string(body, "user_id");
    if (userId == null) {
      throw ApiException.badRequest("user_id is required");
    }
    JoinResult joined = queue.join(eventId, userId);
    return Http.answer(202, "waiting_token", joined.waitingToken(), "position_hint", joined.position(),
        "status", "waiting");
  }

  private Http.Answer status(Http request) {
    String token = requiredToken(request.query("token"));
    TicketStatus status = withToken(() -> queue.status(token));
    if (!status.inLine()) {
      throw ApiException.tokenNotFound("no ticket in line for this token (entered, left, evicted or never issued)");
    }
    return Http.answer(200, "status", status.readyForEntry() ? "ready" : "waiting",
        "position", status.position(), "eta_sec", status.etaSeconds(),
        "waiting_time", status.waitingSeconds(), "ready_for_entry", status.readyForEntry());
  }

  private Http.Answer enter(Http request) throws java.io.IOException {
    String token = requiredToken(Http.string(request.jsonBody(), "waiting_token"));
    EnterResult result = withToken(() -> queue.enter(token));
    switch (result.outcome()) {
      case ADMITTED:
        Reservation reservation = result.reservation().orElseThrow();
        return Http.answer(200, "admission", "granted", "reservation_token", reservation.token(),
            "ttl_sec", secondsUntil(reservation.expiresAt()));
      case NOT_READY:
        throw new ApiException(403, "NOT_READY", "not your turn yet: position " + result.position()
            + ", about " + result.etaSeconds() + " s to go");
      default:
        throw ApiException.tokenNotFound("no ticket in line and no reservation for this token");
    }
  }

  private Http.Answer leave(Http request) {
    String token = requiredToken(request.query("token"));
    if (!withToken(() -> queue.leave(token))) {
      throw ApiException.tokenNotFound("no ticket in line for this token (entered, left, evicted or never issued)");
    }
    return Http.answer(200, "status", "left");
  }

  private Http.Answer stats(Http request) {
    String eventId = requiredEventId(request.query("event_id"));
    QueueStats stats = queue.stats(eventId);
    EventSettings settings = queue.settings(eventId).orElse(defaultSettings);
    return Http.answer(200, "event_id", stats.eventId(), "exists", stats.exists(),
        "waiting", stats.waiting(), "admitted", stats.admitted(),
        "total_joined", stats.totalJoined(), "total_entered", stats.totalEntered(),
        "total_left", stats.totalLeft(), "total_released", stats.totalReleased(),
        "total_completed", stats.totalCompleted(),
        "settings", settingsJson(settings));
  }

  /** Changes only the settings named in the body; creates the event (from the defaults) if it is new. */
  private Http.Answer updateSettings(Http request) throws java.io.IOException {
    Map<String, Object> body = request.jsonBody();
    String eventId = requiredEventId(Http.string(body, "event_id"));
    EventSettings.Builder settings = queue.settings(eventId).orElse(defaultSettings).toBuilder();
    try {
      number(body, "admission_rate").ifPresent(v -> settings.admissionRate(v.doubleValue()));
      number(body, "burst").ifPresent(v -> settings.burst(v.intValueExact()));
      number(body, "capacity").ifPresent(v -> settings.capacity(v.intValueExact()));
      number(body, "reservation_ttl_sec").ifPresent(
          v -> settings.reservationTtl(Duration.ofMillis(v.movePointRight(3).longValueExact())));
    } catch (ArithmeticException e) {
      throw ApiException.badRequest("burst and capacity must be whole numbers, reservation_ttl_sec whole milliseconds");
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    EventSettings updated = settings.build();
    queue.configure(eventId, updated);
    return Http.answer(200, "event_id", eventId, "settings", settingsJson(updated));
  }

  private Http.Handler admin(Http.Handler handler) {
    return request -> {
      if (adminToken.isPresent()) {
        String given = request.exchange.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + adminToken.get()).getBytes(StandardCharsets.UTF_8);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
          request.exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
          throw new ApiException(401, "UNAUTHORIZED", "admin calls need 'Authorization: Bearer <admin token>'");
        }
      }
      return handler.handle(request);
    };
  }

  static Map<String, Object> settingsJson(EventSettings settings) {
    return Http.answer(0, "admission_rate", settings.admissionRate(), "burst", settings.burst(),
        "capacity", settings.capacity(), "reservation_ttl_sec", settings.reservationTtl().toMillis() / 1000.0).body();
  }

  private static Optional<BigDecimal> number(Map<String, Object> body, String name) {
    Object value = body.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof BigDecimal)) {
      throw ApiException.badRequest("\"" + name + "\" must be a number");
    }
    return Optional.of((BigDecimal) value);
  }

  private static String requiredToken(String token) {
    if (token == null) {
      throw new ApiException(400, "MISSING_TOKEN", "a waiting token is required");
    }
    return token;
  }

  private static String requiredEventId(String eventId) {
    if (eventId == null) {
      throw new ApiException(400, "MISSING_EVENT_ID", "event_id is required");
    }
    return eventId;
  }

  private static <T> T withToken(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (InvalidTokenException e) {
      // Why it was refused (signature, key id, kind) is not told: it would only help a forger.
      throw ApiException.tokenNotFound("token not recognised");
    }
  }

  private static long secondsUntil(Instant instant) {
    long millis = Duration.between(Instant.now(), instant).toMillis();
    return Math.max(0, (millis + 999) / 1000);
  }
}
