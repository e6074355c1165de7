package io.github.waitingqueue;

/** The lifecycle state of an event. */
public enum EventState {
  /**
   * Opening at a set time; joins until then go to the pre-queue, which is shuffled into a random order
   * at the opening, ahead of everyone who joins after it.
   */
  SCHEDULED,
  /** Admitting within the allowance. The state of a new event. */
  OPEN,
  /** Joins still queue, nobody is admitted; held reservations stay valid. */
  PAUSED,
  /** Joins are refused and nobody is admitted; waiters are told. Held reservations stay valid. */
  CLOSED,
  /**
   * Being deleted by {@link WaitingQueue#purgeEvent}: from the first purge call until the last, every
   * call but {@code purgeEvent} and {@code stats} is refused (joins and entries as closed, tickets read
   * as closed, reservations as not held; lifecycle calls and {@code configure} throw), so that nothing
   * half-purged is ever served or revived.
   */
  PURGING,
  /**
   * Every item of the event's {@linkplain EventSettings#inventory() inventory} is sold: the completion
   * that sold the last one made the event sold out, in the same call. Joins and entries are refused with
   * {@code SOLD_OUT}, waiters are told, held reservations no longer verify or complete (nothing is
   * oversold). Raising the inventory with {@code configure} opens the event again.
   */
  SOLD_OUT
}
