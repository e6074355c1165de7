package io.github.waitingqueue;

/**
 * A waiting or reservation token was garbled, truncated, forged, signed with an unknown key, or of the
 * wrong kind. Thrown before the backend is touched, so a call that throws it has changed nothing.
 */
public class InvalidTokenException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the token (never the token itself)
   */
  public InvalidTokenException(String message) {
    super(message);
  }
}
