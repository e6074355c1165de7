package io.github.waitingqueue.examples.server;

import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.PerUserLimit;
import io.github.waitingqueue.InvalidInputException;
import io.github.waitingqueue.InvalidTokenException;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.WaitingQueue;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST API under {@code /api/v1}: the origin gateway's four queue calls, unchanged, plus stats, the
 * downstream service's reservation calls and the operators' admin calls. See the README's table.
 *
 * <p>Beyond the origin's vocabulary, for the lifecycle the library added: {@code status} may also be
 * {@code "pre_queue"} (the event has not opened; {@code position} 0, {@code eta_sec} counts down to the
 * opening), {@code "paused"} or {@code "closed"}, all with 200; join and enter on a closed event answer
 * 409 EVENT_CLOSED, so that a client stops polling instead of retrying as it would after 403 NOT_READY.
 * The status answer also says when to poll next ({@code poll_after_ms}, see {@link PollPacing}).
 *
 * <p>A token that is garbled, forged or of the wrong kind is answered like one that is unknown:
 * 404 TOKEN_NOT_FOUND. The origin gateway looked every token up and answered 404 when it found nothing, so
 * its clients already handle exactly that; the message says the token was not recognised.
 */
@RestController
@RequestMapping("/api/v1")
final class QueueController {
  private final WaitingQueue queue;
  private final EventSettings defaultSettings;
  private final Optional<String> adminToken;
  private final QueueMetrics metrics;
  private final PollPacing pacing;
  private final InviteCodes invites;

  QueueController(WaitingQueue queue, WaitingQueueProperties queueProperties, WaitingRoomProperties properties,
      QueueMetrics metrics) {
    this.queue = queue;
    this.defaultSettings = queueProperties.eventSettings();
    this.adminToken = properties.admin();
    this.metrics = metrics;
    this.pacing = new PollPacing(properties.polling().min(), properties.polling().max());
    this.invites = InviteCodes.of(properties.inviteSecret());
  }

  /**
   * {@code POST /queue/join}: {@code {"event_id","user_id"}}, and {@code "invite"}, an invite code to a
   * presale lane (see {@link InviteCodes}); without one, the general line.
   */
  record JoinRequest(String eventId, String userId, String invite) {}

  /**
   * 202 answer of join: {@code lane} is the lane an invite code joined, left out for the general line (so
   * the origin's answer is unchanged).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record JoinAnswer(String waitingToken, long positionHint, String status, String lane) {}

  /**
   * {@code POST /admin/invites}: an invite code to {@code lane} of {@code event_id}, for {@code user_id} or
   * (absent) anyone who has the code, valid for {@code valid_for_sec} (default a day).
   */
  record InviteRequest(String eventId, String lane, String userId, BigDecimal validForSec) {}

  /** 201 answer of an invite. */
  record InviteAnswer(String inviteCode, String eventId, String lane, String userId, String expiresAt) {}

  /** 200 answer of status. */
  record StatusAnswer(String status, long position, long etaSec, long waitingTime, boolean readyForEntry,
      long pollAfterMs) {}

  /** {@code POST /queue/enter}: {@code {"waiting_token"}}. */
  record EnterRequest(String waitingToken) {}

  /** 200 answer of enter. */
  record EnterAnswer(String admission, String reservationToken, long ttlSec) {}

  /** A one-word answer such as {@code {"status":"left"}}. */
  record StatusWord(String status) {}

  /** {@code {"reservation_token"}}. */
  record ReservationRequest(String reservationToken) {}

  /** 200 answer of a reservation check. */
  record ReservationAnswer(String status, String eventId, String userId, long ttlSec) {}

  /** {@code {"event_id"}}, and for schedule {@code "opens_at"} or {@code "opens_in_sec"}. */
  record EventRequest(String eventId, String opensAt, BigDecimal opensInSec) {}

  /** {@code POST /admin/settings}: the event, and the settings to change (the others keep their value). */
  record SettingsRequest(String eventId, BigDecimal admissionRate, BigDecimal burst, BigDecimal capacity,
      BigDecimal reservationTtlSec, BigDecimal idleTimeoutSec, BigDecimal readyGraceSec, BigDecimal inventory,
      String perUserLimit, Map<String, Integer> lanes) {}

  /** An event's settings; whole numbers are written without a fraction; lanes highest priority first. */
  record SettingsJson(Number admissionRate, int burst, int capacity, Number reservationTtlSec, Number idleTimeoutSec,
      Number readyGraceSec, int inventory, String perUserLimit, Map<String, Integer> lanes) {
    static SettingsJson of(EventSettings s) {
      return new SettingsJson(plain(s.admissionRate()), s.burst(), s.capacity(), seconds(s.reservationTtl()),
          seconds(s.idleTimeout()), seconds(s.readyGrace()), s.inventory(),
          s.perUserLimit().name().toLowerCase(Locale.ROOT), s.lanes());
    }
  }

  /** 200 answer of settings. */
  record SettingsAnswer(String eventId, SettingsJson settings) {}

  /** An event's figures and settings. */
  record StatsAnswer(String eventId, boolean exists, String state, String opensAt, long waiting,
      Map<Integer, Long> waitingByPriority, long admitted,
      long totalJoined, long totalEntered, long totalLeft, long totalEvicted, long totalReleased,
      long totalCompleted, double measuredAdmissionRate, double measuredEndRate, Long remainingItems,
      SettingsJson settings) {}

  @PostMapping("/queue/join")
  @ResponseStatus(HttpStatus.ACCEPTED)
  JoinAnswer join(@RequestBody JoinRequest body) {
    String eventId = blankToNull(body.eventId());
    if (eventId == null) {
      throw ApiException.missingEventId();
    }
    String userId = blankToNull(body.userId());
    if (userId == null) {
      throw ApiException.badRequest("user_id is required");
    }
    String lane = null;
    if (blankToNull(body.invite()) != null) {
      try {
        lane = invites.laneFor(body.invite(), eventId, userId, Instant.now());
      } catch (InviteCodes.InvalidInvite e) {
        throw new ApiException(HttpStatus.BAD_REQUEST, "INVALID_INVITE", e.getMessage());
      }
    }
    String inLane = lane;
    JoinResult joined;
    try {
      joined = metrics.time("join", () -> queue.join(eventId, userId, inLane));
    } catch (InvalidInputException e) {
      if (inLane != null && !queue.settings(eventId).orElse(defaultSettings).lanes().containsKey(inLane)) {
        throw new ApiException(HttpStatus.CONFLICT, "LANE_CLOSED",
            "the lane '" + inLane + "' of this invite no longer takes joins");
      }
      throw e;
    }
    if (!joined.outcome().hasTicket()) {
      throw ApiException.refusedJoin(joined.outcome());
    }
    // Ready or not, a new ticket is "waiting" as the origin said; the new lifecycle states say themselves.
    String status = joined.state() == TicketState.READY ? "waiting" : stateName(joined.state());
    return new JoinAnswer(joined.waitingToken(), joined.position(), status, lane);
  }

  /** Mints an invite code to a lane the event has now (400 UNKNOWN_LANE otherwise). */
  @PostMapping("/admin/invites")
  @ResponseStatus(HttpStatus.CREATED)
  InviteAnswer invite(@RequestHeader(name = "Authorization", required = false) String authorization,
      @RequestBody InviteRequest body) {
    checkAdmin(authorization);
    String eventId = requiredEventId(body.eventId());
    String lane = blankToNull(body.lane());
    if (lane == null) {
      throw ApiException.badRequest("lane is required");
    }
    if (!queue.settings(eventId).orElse(defaultSettings).lanes().containsKey(lane)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "UNKNOWN_LANE", "event " + eventId + " has no lane '" + lane
          + "': add it with POST /api/v1/admin/settings {\"lanes\": {\"" + lane + "\": 2}}");
    }
    String userId = blankToNull(body.userId());
    if (userId != null && userId.chars().anyMatch(Character::isWhitespace)) {
      throw ApiException.badRequest("user_id must not contain whitespace");
    }
    long validMs;
    try {
      validMs = body.validForSec() == null ? Duration.ofDays(1).toMillis() : body.validForSec().movePointRight(3).longValueExact();
    } catch (ArithmeticException e) {
      throw ApiException.badRequest("valid_for_sec must be whole milliseconds");
    }
    if (validMs <= 0 || validMs > Duration.ofDays(366).toMillis()) {
      throw ApiException.badRequest("valid_for_sec must be positive and at most a year");
    }
    Instant expires = Instant.now().plusMillis(validMs);
    String code = invites.mint(new InviteCodes.Invite(eventId, lane, userId, expires));
    return new InviteAnswer(code, eventId, lane, userId, expires.toString());
  }

  /**
   * {@code GET /queue/status?token=T}; the page adds {@code visibility=hidden} from a hidden tab, which
   * is then told to poll at the slowest pace. Dispatched by {@link StatusPollHandler}, the hot path.
   */
  StatusAnswer status(String token, String visibility) {
    String waitingToken = requiredToken(token);
    TicketStatus status = withToken(() -> metrics.time("status", () -> queue.status(waitingToken)));
    if (!status.inLine()) {
      throw ApiException.tokenNotFound("no ticket in line for this token (entered, left, evicted or never issued)");
    }
    return new StatusAnswer(stateName(status.state()), status.position(), status.etaSeconds(),
        status.waitingSeconds(), status.readyForEntry(), pacing.pollAfterMillis(status, "hidden".equals(visibility)));
  }

  @PostMapping("/queue/enter")
  EnterAnswer enter(@RequestBody EnterRequest body) {
    String token = requiredToken(body.waitingToken());
    EnterResult result = withToken(() -> metrics.time("enter", () -> queue.enter(token)));
    switch (result.outcome()) {
      case ADMITTED:
        Reservation reservation = result.reservation().orElseThrow();
        return new EnterAnswer("granted", reservation.token(), secondsUntil(reservation.expiresAt()));
      case NOT_READY:
        throw new ApiException(HttpStatus.FORBIDDEN, "NOT_READY", result.position() == 0
            ? "the event has not opened yet: about " + result.etaSeconds() + " s to go"
            : "not your turn yet: position " + result.position() + ", about " + result.etaSeconds() + " s to go");
      case EVENT_CLOSED:
        throw ApiException.eventClosed();
      case SOLD_OUT:
        throw ApiException.soldOut();
      default:
        throw ApiException.tokenNotFound("no ticket in line and no reservation for this token");
    }
  }

  @DeleteMapping("/queue/leave")
  StatusWord leave(@RequestParam(name = "token", required = false) String token) {
    String waitingToken = requiredToken(token);
    if (!withToken(() -> metrics.time("leave", () -> queue.leave(waitingToken)))) {
      throw ApiException.tokenNotFound("no ticket in line for this token (entered, left, evicted or never issued)");
    }
    return new StatusWord("left");
  }

  /** For the downstream service (checkout): is this reservation still holding its slot? */
  @GetMapping("/reservation")
  ReservationAnswer verifyReservation(@RequestParam(name = "token", required = false) String token) {
    return held(verified(requiredToken(token)));
  }

  /**
   * The waiting page, once admitted, hands its reservation to the browser as an HttpOnly cookie (which
   * script cannot read or set itself), so that the guarded checkout route sees it; see {@link ReservationGuard}.
   */
  @PostMapping("/reservation/cookie")
  ReservationAnswer reservationCookie(@RequestBody ReservationRequest body, HttpServletRequest request,
      HttpServletResponse response) {
    String token = requiredToken(body.reservationToken());
    Reservation reservation = verified(token);
    ResponseCookie cookie = ReservationGuard.cookie(token, Duration.between(Instant.now(), reservation.expiresAt()),
        request.isSecure());
    response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
    return held(reservation);
  }

  @PostMapping("/reservation/complete")
  StatusWord complete(@RequestBody ReservationRequest body) {
    return endReservation(body, "complete", queue::complete, "completed");
  }

  @PostMapping("/reservation/release")
  StatusWord release(@RequestBody ReservationRequest body) {
    return endReservation(body, "release", queue::release, "released");
  }

  @GetMapping("/queue/stats")
  StatsAnswer stats(@RequestParam(name = "event_id", required = false) String eventId) {
    return statsOf(requiredEventId(eventId));
  }

  /** Changes only the settings named in the body; creates the event (from the defaults) if it is new. */
  @PostMapping("/admin/settings")
  SettingsAnswer updateSettings(@RequestHeader(name = "Authorization", required = false) String authorization,
      @RequestBody SettingsRequest body) {
    checkAdmin(authorization);
    String eventId = requiredEventId(body.eventId());
    EventSettings.Builder settings = queue.settings(eventId).orElse(defaultSettings).toBuilder();
    try {
      ifPresent(body.admissionRate(), v -> settings.admissionRate(v.doubleValue()));
      ifPresent(body.burst(), v -> settings.burst(v.intValueExact()));
      ifPresent(body.capacity(), v -> settings.capacity(v.intValueExact()));
      ifPresent(body.reservationTtlSec(), v -> settings.reservationTtl(millis(v)));
      ifPresent(body.idleTimeoutSec(), v -> settings.idleTimeout(millis(v)));
      ifPresent(body.readyGraceSec(), v -> settings.readyGrace(millis(v)));
      ifPresent(body.inventory(), v -> settings.inventory(v.intValueExact()));
      if (body.perUserLimit() != null) {
        settings.perUserLimit(perUserLimit(body.perUserLimit()));
      }
      if (body.lanes() != null) {
        settings.lanes(body.lanes());
      }
    } catch (ArithmeticException e) {
      throw ApiException.badRequest("burst and capacity must be whole numbers, durations whole milliseconds");
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    EventSettings updated = settings.build();
    queue.configure(eventId, updated);
    return new SettingsAnswer(eventId, SettingsJson.of(updated));
  }

  /** {@code POST /admin/open}, {@code /admin/pause}, {@code /admin/close}: {@code {"event_id"}}; answers the stats. */
  @PostMapping("/admin/{change:open|pause|close}")
  StatsAnswer lifecycle(@PathVariable("change") String change,
      @RequestHeader(name = "Authorization", required = false) String authorization, @RequestBody EventRequest body) {
    checkAdmin(authorization);
    String eventId = requiredEventId(body.eventId());
    switch (change) {
      case "open" -> queue.openEvent(eventId);
      case "pause" -> queue.pauseEvent(eventId);
      default -> queue.closeEvent(eventId);
    }
    return statsOf(eventId);
  }

  /** {@code {"event_id", "opens_at"}} (an ISO-8601 instant) or {@code {"event_id", "opens_in_sec"}}. */
  @PostMapping("/admin/schedule")
  StatsAnswer schedule(@RequestHeader(name = "Authorization", required = false) String authorization,
      @RequestBody EventRequest body) {
    checkAdmin(authorization);
    String eventId = requiredEventId(body.eventId());
    Instant opensAt;
    try {
      if (blankToNull(body.opensAt()) != null) {
        opensAt = Instant.parse(body.opensAt());
      } else if (body.opensInSec() != null) {
        opensAt = Instant.now().plusMillis(body.opensInSec().movePointRight(3).longValue());
      } else {
        throw ApiException.badRequest("opens_at (ISO-8601, such as 2026-12-01T10:00:00Z) or opens_in_sec is required");
      }
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("opens_at must be an ISO-8601 instant such as 2026-12-01T10:00:00Z");
    }
    try {
      queue.scheduleOpening(eventId, opensAt);
    } catch (IllegalStateException e) {
      throw new ApiException(HttpStatus.CONFLICT, "CONFLICT", e.getMessage());
    }
    return statsOf(eventId);
  }

  private StatsAnswer statsOf(String eventId) {
    QueueStats stats = metrics.time("stats", () -> queue.stats(eventId));
    EventSettings settings = queue.settings(eventId).orElse(defaultSettings);
    return new StatsAnswer(stats.eventId(), stats.exists(), stats.state().name().toLowerCase(Locale.ROOT),
        stats.scheduledOpening().map(Instant::toString).orElse(null), stats.waiting(), stats.waitingByPriority(),
        stats.admitted(),
        stats.totalJoined(), stats.totalEntered(), stats.totalLeft(), stats.totalEvicted(), stats.totalReleased(),
        stats.totalCompleted(), stats.measuredAdmissionRate(), stats.measuredEndRate(),
        stats.remainingItems().isPresent() ? stats.remainingItems().getAsLong() : null, SettingsJson.of(settings));
  }

  private Reservation verified(String token) {
    return withReservationToken(() -> metrics.time("verify", () -> queue.verify(token)))
        .orElseThrow(ApiException::reservationNotFound);
  }

  private static ReservationAnswer held(Reservation reservation) {
    return new ReservationAnswer("held", reservation.eventId(), reservation.userId(),
        secondsUntil(reservation.expiresAt()));
  }

  /** Complete (purchase done) or release (given up): either frees the capacity slot at once. */
  private StatusWord endReservation(ReservationRequest body, String operation, Predicate<String> end, String status) {
    String token = requiredToken(body.reservationToken());
    if (!withReservationToken(() -> metrics.time(operation, () -> end.test(token)))) {
      throw ApiException.reservationNotFound();
    }
    return new StatusWord(status);
  }

  private void checkAdmin(String authorization) {
    if (adminToken.isEmpty()) {
      return;
    }
    byte[] expected = ("Bearer " + adminToken.get()).getBytes(StandardCharsets.UTF_8);
    if (authorization == null || !MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED",
          "admin calls need 'Authorization: Bearer <admin token>'");
    }
  }

  private static void ifPresent(BigDecimal value, Consumer<BigDecimal> set) {
    if (value != null) {
      set.accept(value);
    }
  }

  /** 2.0 as 2, 2.5 as 2.5: the JSON the origin's clients read. */
  static Number plain(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Number) (long) value : (Number) value;
  }

  private static Number seconds(Duration duration) {
    return plain(duration.toMillis() / 1000.0);
  }

  private static Duration millis(BigDecimal seconds) {
    return Duration.ofMillis(seconds.movePointRight(3).longValueExact());
  }

  /** {@code none}, {@code one_held} or {@code one_purchase}. */
  private static PerUserLimit perUserLimit(String name) {
    for (PerUserLimit limit : PerUserLimit.values()) {
      if (limit.name().equalsIgnoreCase(name)) {
        return limit;
      }
    }
    throw ApiException.badRequest("per_user_limit must be none, one_held or one_purchase, got '" + name + "'");
  }

  /** waiting, ready, pre_queue, paused, closed, sold_out. */
  private static String stateName(TicketState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  private static String requiredToken(String token) {
    String t = blankToNull(token);
    if (t == null) {
      throw ApiException.missingToken();
    }
    return t;
  }

  private static String requiredEventId(String eventId) {
    String id = blankToNull(eventId);
    if (id == null) {
      throw ApiException.missingEventId();
    }
    return id;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static <T> T withReservationToken(Supplier<T> call) {
    try {
      return call.get();
    } catch (InvalidTokenException e) {
      throw ApiException.reservationNotFound();
    }
  }

  private static <T> T withToken(Supplier<T> call) {
    try {
      return call.get();
    } catch (InvalidTokenException e) {
      // Why it was refused (signature, key id, kind) is not told: it would only help a forger.
      throw ApiException.tokenNotFound("token not recognised");
    }
  }

  static long secondsUntil(Instant instant) {
    long millis = Duration.between(Instant.now(), instant).toMillis();
    return Math.max(0, (millis + 999) / 1000);
  }
}
