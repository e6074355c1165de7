package io.github.waitingqueue;

/** Where a waiting ticket stands, as reported by {@link WaitingQueue#status(String)}. */
public enum TicketState {
  /** In line, not yet within the event's allowance. */
  WAITING,
  /** In line and within the allowance: {@code enter} would admit it now. */
  READY,
  /**
   * In the pre-queue of an event that has not opened yet: no position until the opening, when the
   * pre-queue is put in a random order ahead of everyone who joins later. The ETA counts down to the opening.
   */
  PRE_QUEUE,
  /** In line, but the event is paused: nobody is admitted until it is opened again. */
  PAUSED,
  /** The event is closed: this ticket will not be admitted. */
  CLOSED,
  /**
   * Not in line: it entered, left, was evicted (idle, or ready but never came to enter), or was never
   * issued by this queue's store. The token may still be a valid one; it no longer stands for a place.
   */
  NOT_FOUND,
  /** The event is sold out: this ticket will not be admitted unless the inventory is raised. */
  SOLD_OUT
}
