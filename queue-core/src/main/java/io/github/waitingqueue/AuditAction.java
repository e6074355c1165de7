package io.github.waitingqueue;

/** What an {@link AuditEntry} records. */
public enum AuditAction {
  /** A ticket was created. */
  JOINED,
  /** A ticket was admitted and got a reservation. */
  ENTERED,
  /** A ticket left the line. */
  LEFT,
  /** A ticket was evicted: idle past the idle timeout, or ready past the grace without entering. */
  EVICTED,
  /** A reservation was released. */
  RELEASED,
  /** A reservation was completed. */
  COMPLETED,
  /** A reservation expired (recorded when its lease is purged, at the time it expired). */
  EXPIRED,
  /** The event was opened or resumed. */
  OPENED,
  /** The event was paused. */
  PAUSED,
  /** The event was closed. */
  CLOSED,
  /** The event's opening was scheduled. */
  SCHEDULED,
  /** The completion of the last item of the inventory made the event sold out. */
  SOLD_OUT
}
