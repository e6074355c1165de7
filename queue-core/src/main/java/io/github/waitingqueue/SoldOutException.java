package io.github.waitingqueue;

/**
 * Thrown by {@link WaitingQueue#complete(String)} when no item of the event's inventory remains: the
 * reservation was valid, but completing it would oversell. Nothing was changed; the reservation stays
 * held until it expires or is released. The checkout should tell the user the event sold out (and undo
 * whatever it held for them).
 */
public class SoldOutException extends WaitingQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was refused
   */
  public SoldOutException(String message) {
    super(message);
  }
}
