package io.github.waitingqueue;

/**
 * Outcomes of queue calls, for a service to bind to its metrics system (Micrometer counters, say).
 * Called on the caller's thread after the call's effect is committed, so keep it quick; an exception
 * thrown here is logged and swallowed, never failing the call. Every method does nothing by default.
 */
public interface QueueListener {
  /** A listener that does nothing. */
  QueueListener NONE = new QueueListener() {};

  /**
   * A user joined (not called for a repeated join).
   *
   * @param eventId the event
   * @param position the position at joining, 0 in the pre-queue
   */
  default void joined(String eventId, long position) {}

  /**
   * A ticket was admitted (not called for a repeated enter that returned the same reservation).
   *
   * @param eventId the event
   */
  default void entered(String eventId) {}

  /**
   * An enter or join was refused: not ready yet, event closed, or ticket not found.
   *
   * @param eventId the event
   * @param reason the outcome, such as {@code NOT_READY}, {@code EVENT_CLOSED} or {@code NOT_FOUND}
   */
  default void refused(String eventId, String reason) {}

  /**
   * A ticket left the line.
   *
   * @param eventId the event
   */
  default void left(String eventId) {}

  /**
   * Tickets were evicted during a call (idle, or ready past the grace).
   *
   * @param eventId the event
   * @param count how many, at least 1
   */
  default void evicted(String eventId, long count) {}
}
