package io.github.waitingqueue;

/**
 * Base of every exception the library throws on purpose.
 *
 * <p>Ordinary outcomes (not ready yet, ticket not found, event closed) are never exceptions: they are
 * values of the result types. Exceptions mean either bad input ({@link InvalidInputException}, including
 * {@link InvalidTokenException}) or a backend that could not complete the call
 * ({@link QueueUnavailableException}).
 */
public class WaitingQueueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong
   */
  public WaitingQueueException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public WaitingQueueException(String message, Throwable cause) {
    super(message, cause);
  }
}
