package io.github.waitingqueue;

/** What a ticket's ETA ({@link TicketStatus#etaSeconds()}) is computed from, so a page can say how sure it is. */
public enum EtaBasis {
  /** No ETA: the ticket is ready (0), not found, or its event is closed or sold out. */
  NONE,
  /** The seconds until the scheduled opening, for a ticket in the pre-queue. */
  OPENING,
  /**
   * The event's configured admission rate: fewer than five admissions have been made, so there is no
   * measured rate yet. Only as good as the configuration.
   */
  CONFIGURED_RATE,
  /**
   * The measured admission rate: a moving average of real admissions (30 s time constant), never below
   * 1% of the configured rate.
   */
  MEASURED_RATE
}
