package io.github.waitingqueue;

/** Where a waiting ticket stands, as reported by {@link WaitingQueue#status(String)}. */
public enum TicketState {
  /** In line, not yet within the event's allowance. */
  WAITING,
  /** In line and within the allowance: {@code enter} would admit it now. */
  READY,
  /**
   * Not in line: it entered, left, was removed, or was never issued by this queue's store. The token
   * may still be a valid one; it just no longer stands for a place in line.
   */
  NOT_FOUND
}
