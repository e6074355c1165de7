package io.github.waitingqueue.examples.server;

import io.github.waitingqueue.InvalidTokenException;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.WaitingQueue;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts the waiting room in front of a route: a request to {@code /checkout/{eventId}/**} goes through only
 * with a reservation of that event that still holds its slot, given as the {@code wq_reservation} cookie
 * or as {@code Authorization: Bearer <reservation token>}, and verified by the library.
 *
 * <p>Without one, a browser navigating there is redirected (302) to the waiting page of the event, which
 * brings it back once admitted (with the cookie set, see {@code POST /api/v1/reservation/cookie}); a script
 * or API caller gets 403 {@code RESERVATION_REQUIRED} with a body that says where to queue:
 * {@code {"error":{...},"waiting_room":{"event_id","url","join"}}}.
 */
final class ReservationGuard implements HandlerInterceptor {
  /** The cookie the waiting page sets once admitted. */
  static final String COOKIE = "wq_reservation";
  /** The cookie is sent to the guarded route only, not with every status poll. */
  static final String COOKIE_PATH = "/checkout";
  /** Request attribute: the verified {@link Reservation}. */
  static final String RESERVATION = "io.github.waitingqueue.examples.server.ReservationGuard.reservation";
  /** Request attribute: the reservation token that was verified. */
  static final String TOKEN = "io.github.waitingqueue.examples.server.ReservationGuard.token";

  private final WaitingQueue queue;
  private final QueueMetrics metrics;
  private final JsonMapper json;

  ReservationGuard(WaitingQueue queue, QueueMetrics metrics, JsonMapper json) {
    this.queue = queue;
    this.metrics = metrics;
    this.json = json;
  }

  /** Where a refused caller may queue for the event. */
  record WaitingRoom(String eventId, String url, String join) {}

  /** The 403 body: the contract's error, and where to queue. */
  record Refusal(ApiErrors.Error error, WaitingRoom waitingRoom) {}

  /**
   * The reservation cookie: HttpOnly (script cannot read it), SameSite=Lax (sent when the user follows a
   * link, not with cross-site posts), Secure when the page was served over HTTPS, and gone with the
   * reservation.
   *
   * @param token the reservation token
   * @param lifetime until the reservation expires
   * @param secure whether the request came over HTTPS
   * @return the cookie
   */
  static ResponseCookie cookie(String token, Duration lifetime, boolean secure) {
    return ResponseCookie.from(COOKIE, token).httpOnly(true).sameSite("Lax").secure(secure).path(COOKIE_PATH)
        .maxAge(lifetime.isNegative() ? Duration.ZERO : lifetime).build();
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws IOException {
    String eventId = eventId(request);
    Optional<String> token = token(request);
    if (token.isPresent()) {
      Optional<Reservation> held = verify(token.get());
      if (held.isPresent() && held.get().eventId().equals(eventId)) {
        request.setAttribute(RESERVATION, held.get());
        request.setAttribute(TOKEN, token.get());
        return true;
      }
    }
    String waitingRoom = "/?event=" + encode(eventId) + "&return=" + encode(returnPath(request));
    if (isBrowserNavigation(request)) {
      response.sendRedirect(waitingRoom);
      return false;
    }
    response.setStatus(HttpStatus.FORBIDDEN.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    String message = token.isPresent()
        ? "the reservation is not valid for " + eventId + " (expired, completed, released or of another event)"
        : "this page needs a reservation for " + eventId + ": queue in its waiting room first";
    json.writeValue(response.getOutputStream(), new Refusal(
        ApiErrors.body(request, "RESERVATION_REQUIRED", message).error(),
        new WaitingRoom(eventId, waitingRoom, "/api/v1/queue/join")));
    return false;
  }

  private Optional<Reservation> verify(String token) {
    try {
      return metrics.time("verify", () -> queue.verify(token));
    } catch (InvalidTokenException garbled) {
      return Optional.empty();
    }
  }

  /** The bearer token, else the cookie. */
  private static Optional<String> token(HttpServletRequest request) {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(authorization.substring(7).trim()).filter(t -> !t.isEmpty());
    }
    Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (Cookie c : cookies) {
        if (COOKIE.equals(c.getName()) && !c.getValue().isBlank()) {
          return Optional.of(c.getValue());
        }
      }
    }
    return Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private static String eventId(HttpServletRequest request) {
    Map<String, String> variables =
        (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
    String eventId = variables == null ? null : variables.get("eventId");
    if (eventId == null) {
      throw new IllegalStateException("a guarded route needs an {eventId} path variable: " + request.getRequestURI());
    }
    return eventId;
  }

  /** A page load (not fetch or XHR), which can follow a redirect to the waiting page and come back. */
  private static boolean isBrowserNavigation(HttpServletRequest request) {
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    return ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
        && accept != null && accept.contains(MediaType.TEXT_HTML_VALUE)
        && !"XMLHttpRequest".equals(request.getHeader("X-Requested-With"));
  }

  private static String returnPath(HttpServletRequest request) {
    String query = request.getQueryString();
    return request.getRequestURI() + (query == null ? "" : "?" + query);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
