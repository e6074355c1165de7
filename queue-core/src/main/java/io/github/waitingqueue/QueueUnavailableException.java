package io.github.waitingqueue;

/**
 * The backend could not complete the call: connection refused or lost, timeout, failover in progress.
 *
 * <p>Every operation is one atomic script, so a call that ends with this exception either took full
 * effect or none; when it is unknown which (the reply was lost), repeating the call is safe for
 * {@code join}, {@code enter}, {@code leave}, {@code release} and {@code complete}, which are idempotent.
 */
public class QueueUnavailableException extends WaitingQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause the backend's exception
   */
  public QueueUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
