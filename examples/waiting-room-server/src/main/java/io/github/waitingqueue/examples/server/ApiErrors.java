package io.github.waitingqueue.examples.server;

import io.github.waitingqueue.InvalidInputException;
import io.github.waitingqueue.QueueUnavailableException;
import io.github.waitingqueue.SoldOutException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;

/**
 * Every error of the service as the REST contract's body {@code {"error":{"code","message","trace_id"}}},
 * the trace id being the request's {@code X-Trace-Id} (see {@link TraceIdFilter}).
 */
@RestControllerAdvice
final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  /**
   * The error body.
   *
   * @param error what went wrong
   */
  record ErrorBody(Error error) {}

  /**
   * What went wrong.
   *
   * @param code stable, machine-readable: {@code TOKEN_NOT_FOUND}, {@code NOT_READY}...
   * @param message for people
   * @param traceId the request's trace id
   */
  record Error(String code, String message, String traceId) {}

  static ResponseEntity<ErrorBody> error(HttpServletRequest request, HttpStatus status, String code, String message) {
    return ResponseEntity.status(status).body(body(request, code, message));
  }

  static ErrorBody body(HttpServletRequest request, String code, String message) {
    return new ErrorBody(new Error(code, message, TraceIdFilter.traceId(request)));
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ErrorBody> api(ApiException e, HttpServletRequest request) {
    return error(request, e.status, e.code, e.getMessage());
  }

  /** Bad ids and arguments: the library checked them before touching Redis and changed nothing. */
  @ExceptionHandler(InvalidInputException.class)
  ResponseEntity<ErrorBody> invalidInput(InvalidInputException e, HttpServletRequest request) {
    return error(request, HttpStatus.BAD_REQUEST, "INVALID_REQUEST", e.getMessage());
  }

  /** A completion past the inventory: refused, nothing changed (nothing is oversold). */
  @ExceptionHandler(SoldOutException.class)
  ResponseEntity<ErrorBody> soldOut(SoldOutException e, HttpServletRequest request) {
    return error(request, HttpStatus.CONFLICT, "SOLD_OUT", e.getMessage());
  }

  @ExceptionHandler(QueueUnavailableException.class)
  ResponseEntity<ErrorBody> unavailable(QueueUnavailableException e, HttpServletRequest request) {
    LOG.warn("[{}] queue backend unavailable: {}", TraceIdFilter.traceId(request), e.getMessage());
    return error(request, HttpStatus.SERVICE_UNAVAILABLE, "QUEUE_UNAVAILABLE",
        "the queue's backend is unavailable; try again shortly");
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ErrorBody> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
    Throwable cause = e.getMostSpecificCause();
    String message;
    if (cause instanceof DatabindException d && !d.getPath().isEmpty() && d.getPath().get(0).getPropertyName() != null) {
      message = "\"" + d.getPath().get(0).getPropertyName() + "\" has the wrong type";
    } else if (cause instanceof StreamReadException) {
      message = "request body must be a JSON object: " + firstLine(cause);
    } else {
      message = "request body must be a JSON object";
    }
    return error(request, HttpStatus.BAD_REQUEST, "INVALID_REQUEST", message);
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorBody> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
    return error(request, HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "request body must be JSON");
  }

  @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
  ResponseEntity<ErrorBody> notFound(Exception e, HttpServletRequest request) {
    return error(request, HttpStatus.NOT_FOUND, "NOT_FOUND", "no such call: " + request.getRequestURI());
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    String allowed = e.getSupportedMethods() == null ? "" : String.join(", ", e.getSupportedMethods());
    return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).header(HttpHeaders.ALLOW, allowed)
        .body(body(request, "METHOD_NOT_ALLOWED", "use " + allowed + " for this call"));
  }

  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<ErrorBody> unexpected(RuntimeException e, HttpServletRequest request) {
    LOG.error("[{}] {} {} failed", TraceIdFilter.traceId(request), request.getMethod(), request.getRequestURI(), e);
    return error(request, HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "unexpected server error");
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
