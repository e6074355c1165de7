package io.github.waitingqueue.examples.server;

/**
 * An HTTP error answer: its status and the {@code code} and {@code message} of the error body
 * {@code {"error":{"code","message","trace_id"}}}. Thrown by handlers, written by {@link Http#handle}.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;

  ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "INVALID_REQUEST", message);
  }

  static ApiException tokenNotFound(String message) {
    return new ApiException(404, "TOKEN_NOT_FOUND", message);
  }
}
