package io.github.waitingqueue;

import java.time.Duration;
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
 * @param nextPollAfter when the waiting page should ask again (see {@link #nextPollAfter()})
 * @param etaBasis what the ETA is computed from: the configured or the measured admission rate, the
 *     opening, or nothing (see {@link #etaBasisOf(TicketState, boolean)})
 */
public record TicketStatus(TicketState state, long position, long etaSeconds, long waitingSeconds,
    Duration nextPollAfter, EtaBasis etaBasis) {
  private static final TicketStatus NOT_FOUND =
      new TicketStatus(TicketState.NOT_FOUND, 0, 0, 0, Duration.ZERO, EtaBasis.NONE);

  /**
   * Validates the components.
   *
   * @throws NullPointerException for a null state
   * @throws IllegalArgumentException for negative numbers, or a position that does not fit the state
   */
  public TicketStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(nextPollAfter, "nextPollAfter");
    Objects.requireNonNull(etaBasis, "etaBasis");
    if (position < 0 || etaSeconds < 0 || waitingSeconds < 0) {
      throw new IllegalArgumentException("position, etaSeconds and waitingSeconds must not be negative");
    }
    if (hasPosition(state) != (position > 0)) {
      throw new IllegalArgumentException("a " + state + " ticket " + (hasPosition(state) ? "has" : "has no") + " position");
    }
  }

  /**
   * When the waiting page should ask again: a pacing hint that keeps polls few far back in the line and
   * frequent near the head. 1 s when ready (the grace runs); 2 s within 10 places of the head; a quarter
   * of the ETA, at least 2 s, further back and in the pre-queue; the longest pause while paused; zero when not found or closed (stop
   * polling). Never longer than a quarter of the event's idle timeout nor 60 s, so that heartbeats keep
   * the ticket in line even if a poll is lost, and spread between 80% and 120% by the ticket's sequence
   * number, so that people who joined together do not poll together.
   *
   * @return the pause before the next poll
   */
  @Override
  public Duration nextPollAfter() {
    return nextPollAfter;
  }

  /**
   * The basis of the ETA of a ticket in this state: the rate (measured once there is a measured rate) for a
   * waiting or paused ticket, the opening in the pre-queue, none otherwise.
   *
   * @param state the ticket's state
   * @param measured whether the event has a measured admission rate (five admissions or more)
   * @return the basis
   */
  public static EtaBasis etaBasisOf(TicketState state, boolean measured) {
    switch (state) {
      case WAITING:
      case PAUSED:
        return measured ? EtaBasis.MEASURED_RATE : EtaBasis.CONFIGURED_RATE;
      case PRE_QUEUE:
        return EtaBasis.OPENING;
      default:
        return EtaBasis.NONE;
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
