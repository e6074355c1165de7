package io.github.waitingqueue.examples.server;

/**
 * A {@code waitingqueue.*} property with a value the library refuses. Thrown while the application starts,
 * so that it stops at once with the property's name instead of failing on the first request.
 */
public final class InvalidQueuePropertyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String property;

  /**
   * A refused property.
   *
   * @param property its full name, such as {@code waitingqueue.signing.keys[0].secret}
   * @param problem what is wrong with it
   */
  public InvalidQueuePropertyException(String property, String problem) {
    super(property + ": " + problem);
    this.property = property;
  }

  /**
   * The refused property.
   *
   * @return its full name
   */
  public String property() {
    return property;
  }
}
