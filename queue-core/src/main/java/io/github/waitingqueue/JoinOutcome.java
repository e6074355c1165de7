package io.github.waitingqueue;

/** What a {@link WaitingQueue#join(String, String)} call did. */
public enum JoinOutcome {
  /** A new ticket was created at the end of the line (or in the pre-queue before a scheduled opening). */
  JOINED,
  /** The user was already waiting in this event; the existing ticket is returned unchanged. */
  ALREADY_WAITING,
  /** The event is closed: no ticket was created. */
  EVENT_CLOSED,
  /** The event is sold out: no ticket was created. */
  SOLD_OUT,
  /**
   * The user holds a reservation of this event and the event allows one place per user
   * ({@link PerUserLimit#ONE_HELD} or {@link PerUserLimit#ONE_PURCHASE}): no ticket was created.
   */
  HOLDS_RESERVATION,
  /**
   * The user completed a purchase in this event, which allows one per user ({@link PerUserLimit#ONE_PURCHASE}):
   * no ticket was created.
   */
  ALREADY_PURCHASED;

  /**
   * Whether the call left the user with a ticket (and a waiting token).
   *
   * @return true for {@link #JOINED} and {@link #ALREADY_WAITING}
   */
  public boolean hasTicket() {
    return this == JOINED || this == ALREADY_WAITING;
  }
}
