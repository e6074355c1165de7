package io.github.waitingqueue;

import java.util.Objects;

/**
 * The result of {@link WaitingQueue#status(String)}. Reading a status consumes no admission; it is the
 * ticket's heartbeat, which keeps it from being evicted as idle.
 *
 * @param state waiting, ready, pre-queue, paused, closed or not found
 * @param position 1-based place in line at the moment of the call when waiting, ready or paused; 0 otherwise
 * @param etaSeconds estimated seconds until the ticket may enter (until the opening, in the pre-queue);
 *     0 when ready, closed or not found
 * @param waitingSeconds whole seconds since the ticket joined; 0 when not found
 */
public record TicketStatus(TicketState state, long position, long etaSeconds, long waitingSeconds) {
  private static final TicketStatus NOT_FOUND = new TicketStatus(TicketState.NOT_FOUND, 0, 0, 0);

  /**
   * Validates the components.
   *
   * @throws NullPointerException for a null state
   * @throws IllegalArgumentException for negative numbers, or a position that does not fit the state
   */
  public TicketStatus {
    Objects.requireNonNull(state, "state");
    if (position < 0 || etaSeconds < 0 || waitingSeconds < 0) {
      throw new IllegalArgumentException("position, etaSeconds and waitingSeconds must not be negative");
    }
    if (hasPosition(state) != (position > 0)) {
      throw new IllegalArgumentException("a " + state + " ticket " + (hasPosition(state) ? "has" : "has no") + " position");
    }
  }

  static boolean hasPosition(TicketState state) {
    return state == TicketState.WAITING || state == TicketState.READY || state == TicketState.PAUSED;
  }

  /**
   * The status of a ticket that is not in line.
   *
   * @return the shared not-found status
   */
  public static TicketStatus notFound() {
    return NOT_FOUND;
  }

  /**
   * Whether {@code enter} would admit the ticket now.
   *
   * @return {@code state() == READY}
   */
  public boolean readyForEntry() {
    return state == TicketState.READY;
  }

  /**
   * Whether the ticket still holds a place (waiting, ready, pre-queue, paused, or closed).
   *
   * @return {@code state() != NOT_FOUND}
   */
  public boolean inLine() {
    return state != TicketState.NOT_FOUND;
  }
}
