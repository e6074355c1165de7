package io.github.waitingqueue;

/** What a {@link WaitingQueue#join(String, String)} call did. */
public enum JoinOutcome {
  /** A new ticket was created at the end of the line (or in the pre-queue before a scheduled opening). */
  JOINED,
  /** The user was already waiting in this event; the existing ticket is returned unchanged. */
  ALREADY_WAITING,
  /** The event is closed: no ticket was created. */
  EVENT_CLOSED
}
