package io.github.waitingqueue;

/**
 * How many places in an event one user may have: the rule a sale sets so that a user who was let in
 * cannot queue again while holding what they were let in for, or buy twice. Checked atomically by
 * {@link WaitingQueue#join(String, String)}: two concurrent joins of one user never both pass.
 */
public enum PerUserLimit {
  /** No limit (the default): a user admitted once may join again and be admitted again. */
  NONE,
  /**
   * A user who holds a reservation of the event (admitted, and not yet completed, released or expired)
   * cannot join: {@link JoinOutcome#HOLDS_RESERVATION}. Once it ends, they may queue again.
   */
  ONE_HELD,
  /**
   * As {@link #ONE_HELD}, and a user who completed a reservation cannot join again:
   * {@link JoinOutcome#ALREADY_PURCHASED}. The event remembers each buyer (a few dozen bytes each).
   */
  ONE_PURCHASE
}
