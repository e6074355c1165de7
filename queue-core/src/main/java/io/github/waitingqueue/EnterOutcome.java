package io.github.waitingqueue;

/** What a {@link WaitingQueue#enter(String)} call did. */
public enum EnterOutcome {
  /**
   * The ticket was admitted and left the line; the result carries the reservation. A repeated enter
   * with the same token while the reservation is held returns the same reservation, never a second one.
   */
  ADMITTED,
  /**
   * The ticket is in line but may not enter yet (not within the allowance, event paused, or not opened
   * yet); nothing was consumed. The result carries the position (0 in the pre-queue) and the ETA.
   */
  NOT_READY,
  /** The event is closed: the ticket will not be admitted. */
  EVENT_CLOSED,
  /** The ticket is not in line (left, evicted, never issued) and holds no reservation. */
  NOT_FOUND,
  /** The event is sold out: the ticket will not be admitted unless the inventory is raised. */
  SOLD_OUT
}
