package io.github.waitingqueue.examples.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.InvalidTokenException;
import io.github.waitingqueue.JoinOutcome;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.WaitingQueue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
 *   <tr><td>{@code GET /reservation?token=}</td><td>200</td><td>400 MISSING_TOKEN, 404 RESERVATION_NOT_FOUND</td></tr>
 *   <tr><td>{@code POST /reservation/complete}, {@code /reservation/release} {@code {"reservation_token"}}</td>
 *       <td>200</td><td>400 MISSING_TOKEN, 404 RESERVATION_NOT_FOUND</td></tr>
 *   <tr><td>{@code POST /admin/settings} {@code {"event_id", "admission_rate"?, "burst"?, "capacity"?,
 *       "reservation_ttl_sec"?, "idle_timeout_sec"?, "ready_grace_sec"?}}</td><td>200</td><td>400,
 *       401 UNAUTHORIZED</td></tr>
 *   <tr><td>{@code POST /admin/open}, {@code /admin/pause}, {@code /admin/close} {@code {"event_id"}}</td>
 *       <td>200</td><td>400, 401</td></tr>
 *   <tr><td>{@code POST /admin/schedule} {@code {"event_id", "opens_at"}} (ISO-8601 instant) or
 *       {@code {"event_id", "opens_in_sec"}}</td><td>200</td><td>400, 401, 409 CONFLICT once people are
 *       in line of an open event</td></tr>
 * </table>
 *
 * <p>Beyond the origin's vocabulary, for the lifecycle the library added: {@code status} may also be
 * {@code "pre_queue"} (the event has not opened; {@code position} 0, {@code eta_sec} counts down to the
 * opening), {@code "paused"} or {@code "closed"}, all with 200; join and enter on a closed event answer
 * 409 EVENT_CLOSED, so that a client stops polling instead of retrying as it would after 403 NOT_READY.
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
    routes.put(BASE + "/reservation", new Route("GET", this::verifyReservation));
    routes.put(BASE + "/reservation/complete", new Route("POST", endReservation(queue::complete, "completed")));
    routes.put(BASE + "/reservation/release", new Route("POST", endReservation(queue::release, "released")));
    routes.put(BASE + "/admin/settings", new Route("POST", admin(this::updateSettings)));
    routes.put(BASE + "/admin/open", new Route("POST", admin(lifecycle(queue::openEvent))));
    routes.put(BASE + "/admin/pause", new Route("POST", admin(lifecycle(queue::pauseEvent))));
    routes.put(BASE + "/admin/close", new Route("POST", admin(lifecycle(queue::closeEvent))));
    routes.put(BASE + "/admin/schedule", new Route("POST", admin(this::schedule)));
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
    if (joined.outcome() == JoinOutcome.EVENT_CLOSED) {
      throw eventClosed();
    }
    // Ready or not, a new ticket is "waiting" as the origin said; the new lifecycle states say themselves.
    String status = joined.state() == TicketState.READY ? "waiting" : stateName(joined.state());
    return Http.answer(202, "waiting_token", joined.waitingToken(), "position_hint", joined.position(),
        "status", status);
  }

  private Http.Answer status(Http request) {
    String token = requiredToken(request.query("token"));
    TicketStatus status = withToken(() -> queue.status(token));
    if (!status.inLine()) {
      throw ApiException.tokenNotFound("no ticket in line for this token (entered, left, evicted or never issued)");
    }
    return Http.answer(200, "status", stateName(status.state()),
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
        throw new ApiException(403, "NOT_READY", result.position() == 0
            ? "the event has not opened yet: about " + result.etaSeconds() + " s to go"
            : "not your turn yet: position " + result.position() + ", about " + result.etaSeconds() + " s to go");
      case EVENT_CLOSED:
        throw eventClosed();
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

  /** For the downstream service (checkout): is this reservation still holding its slot? */
  private Http.Answer verifyReservation(Http request) {
    String token = requiredToken(request.query("token"));
    Reservation reservation = withReservationToken(() -> queue.verify(token))
        .orElseThrow(QueueApi::reservationNotFound);
    return Http.answer(200, "status", "held", "event_id", reservation.eventId(), "user_id", reservation.userId(),
        "ttl_sec", secondsUntil(reservation.expiresAt()));
  }

  /** Complete (purchase done) or release (given up): either frees the capacity slot at once. */
  private Http.Handler endReservation(Predicate<String> end, String status) {
    return request -> {
      String token = requiredToken(Http.string(request.jsonBody(), "reservation_token"));
      if (!withReservationToken(() -> end.test(token))) {
        throw reservationNotFound();
      }
      return Http.answer(200, "status", status);
    };
  }

  private Http.Answer stats(Http request) {
    return stats(requiredEventId(request.query("event_id")));
  }

  private Http.Answer stats(String eventId) {
    QueueStats stats = queue.stats(eventId);
    EventSettings settings = queue.settings(eventId).orElse(defaultSettings);
    return Http.answer(200, "event_id", stats.eventId(), "exists", stats.exists(),
        "state", stats.state().name().toLowerCase(Locale.ROOT),
        "opens_at", stats.scheduledOpening().map(Instant::toString).orElse(null),
        "waiting", stats.waiting(), "admitted", stats.admitted(),
        "total_joined", stats.totalJoined(), "total_entered", stats.totalEntered(),
        "total_left", stats.totalLeft(), "total_evicted", stats.totalEvicted(),
        "total_released", stats.totalReleased(), "total_completed", stats.totalCompleted(),
        "measured_admission_rate", stats.measuredAdmissionRate(),
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
      number(body, "reservation_ttl_sec").ifPresent(v -> settings.reservationTtl(millis(v)));
      number(body, "idle_timeout_sec").ifPresent(v -> settings.idleTimeout(millis(v)));
      number(body, "ready_grace_sec").ifPresent(v -> settings.readyGrace(millis(v)));
    } catch (ArithmeticException e) {
      throw ApiException.badRequest("burst and capacity must be whole numbers, durations whole milliseconds");
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    EventSettings updated = settings.build();
    queue.configure(eventId, updated);
    return Http.answer(200, "event_id", eventId, "settings", settingsJson(updated));
  }

  private Http.Handler lifecycle(Consumer<String> change) {
    return request -> {
      String eventId = requiredEventId(Http.string(request.jsonBody(), "event_id"));
      change.accept(eventId);
      return stats(eventId);
    };
  }

  private Http.Answer schedule(Http request) throws java.io.IOException {
    Map<String, Object> body = request.jsonBody();
    String eventId = requiredEventId(Http.string(body, "event_id"));
    Instant opensAt;
    String at = Http.string(body, "opens_at");
    Optional<BigDecimal> in = number(body, "opens_in_sec");
    try {
      if (at != null) {
        opensAt = Instant.parse(at);
      } else if (in.isPresent()) {
        opensAt = Instant.now().plusMillis(in.get().movePointRight(3).longValue());
      } else {
        throw ApiException.badRequest("opens_at (ISO-8601, such as 2026-12-01T10:00:00Z) or opens_in_sec is required");
      }
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("opens_at must be an ISO-8601 instant such as 2026-12-01T10:00:00Z");
    }
    try {
      queue.scheduleOpening(eventId, opensAt);
    } catch (IllegalStateException e) {
      throw new ApiException(409, "CONFLICT", e.getMessage());
    }
    return stats(eventId);
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
        "capacity", settings.capacity(), "reservation_ttl_sec", seconds(settings.reservationTtl()),
        "idle_timeout_sec", seconds(settings.idleTimeout()), "ready_grace_sec", seconds(settings.readyGrace())).body();
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  private static Duration millis(BigDecimal seconds) {
    return Duration.ofMillis(seconds.movePointRight(3).longValueExact());
  }

  /** waiting, ready, pre_queue, paused, closed. */
  private static String stateName(TicketState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  private static ApiException eventClosed() {
    return new ApiException(409, "EVENT_CLOSED", "the event is closed: nobody more is admitted");
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
      throw new ApiException(400, "MISSING_TOKEN", "a token is required");
    }
    return token;
  }

  private static String requiredEventId(String eventId) {
    if (eventId == null) {
      throw new ApiException(400, "MISSING_EVENT_ID", "event_id is required");
    }
    return eventId;
  }

  private static <T> T withReservationToken(Supplier<T> call) {
    try {
      return call.get();
    } catch (InvalidTokenException e) {
      throw reservationNotFound();
    }
  }

  private static ApiException reservationNotFound() {
    return new ApiException(404, "RESERVATION_NOT_FOUND",
        "no reservation holds a slot for this token (completed, released, expired or never issued)");
  }

  private static <T> T withToken(Supplier<T> call) {
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
