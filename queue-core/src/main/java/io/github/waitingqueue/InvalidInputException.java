package io.github.waitingqueue;

/**
 * An argument was null, blank, too long or otherwise malformed. Thrown before any state is read or
 * changed, so a call that throws it has changed nothing.
 */
public class InvalidInputException extends WaitingQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message names the argument and what is wrong with it
   */
  public InvalidInputException(String message) {
    super(message);
  }
}
