package io.github.waitingqueue.examples.server;

import io.github.waitingqueue.JoinOutcome;
import org.springframework.http.HttpStatus;

/**
 * An HTTP error answer: its status and the {@code code} and {@code message} of the error body
 * {@code {"error":{"code","message","trace_id"}}}. Thrown by the controllers, written by {@link ApiErrors}.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final HttpStatus status;
  final String code;

  ApiException(HttpStatus status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ApiException badRequest(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", message);
  }

  static ApiException missingToken() {
    return new ApiException(HttpStatus.BAD_REQUEST, "MISSING_TOKEN", "a token is required");
  }

  static ApiException missingEventId() {
    return new ApiException(HttpStatus.BAD_REQUEST, "MISSING_EVENT_ID", "event_id is required");
  }

  static ApiException tokenNotFound(String message) {
    return new ApiException(HttpStatus.NOT_FOUND, "TOKEN_NOT_FOUND", message);
  }

  static ApiException reservationNotFound() {
    return new ApiException(HttpStatus.NOT_FOUND, "RESERVATION_NOT_FOUND",
        "no reservation holds a slot for this token (completed, released, expired or never issued)");
  }

  static ApiException eventClosed() {
    return new ApiException(HttpStatus.CONFLICT, "EVENT_CLOSED", "the event is closed: nobody more is admitted");
  }

  static ApiException soldOut() {
    return new ApiException(HttpStatus.CONFLICT, "SOLD_OUT", "the event is sold out: nothing remains to queue for");
  }

  /** A join that gave no ticket: 409 with the outcome as the code. */
  static ApiException refusedJoin(JoinOutcome outcome) {
    switch (outcome) {
      case EVENT_CLOSED:
        return eventClosed();
      case SOLD_OUT:
        return soldOut();
      case HOLDS_RESERVATION:
        return new ApiException(HttpStatus.CONFLICT, "HOLDS_RESERVATION",
            "this user holds a reservation of the event: one place per person");
      default:
        return new ApiException(HttpStatus.CONFLICT, "ALREADY_PURCHASED",
            "this user already bought in this event: one purchase per person");
    }
  }
}
