package io.github.waitingqueue;

/** What a {@link WaitingQueue#enter(String)} call did. */
public enum EnterOutcome {
  /**
   * The ticket was admitted and left the line; the result carries the reservation. A repeated enter
   * with the same token while the reservation is held returns the same reservation, never a second one.
   */
  ADMITTED,
  /** The ticket is in line but not within the allowance yet; nothing was consumed. */
  NOT_READY,
  /** The ticket is not in line (left, removed, never issued) and holds no reservation. */
  NOT_FOUND
}
