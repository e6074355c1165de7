package io.github.waitingqueue;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link WaitingQueue#enter(String)}: a reservation, or "not yet" with the current
 * position and ETA, or "not found". Immutable.
 */
public final class EnterResult {
  private static final EnterResult NOT_FOUND = new EnterResult(EnterOutcome.NOT_FOUND, null, 0, 0);
  private static final EnterResult EVENT_CLOSED = new EnterResult(EnterOutcome.EVENT_CLOSED, null, 0, 0);
  private static final EnterResult SOLD_OUT = new EnterResult(EnterOutcome.SOLD_OUT, null, 0, 0);

  private final EnterOutcome outcome;
  private final Reservation reservation;
  private final long position;
  private final long etaSeconds;

  private EnterResult(EnterOutcome outcome, Reservation reservation, long position, long etaSeconds) {
    this.outcome = outcome;
    this.reservation = reservation;
    this.position = position;
    this.etaSeconds = etaSeconds;
  }

  /**
   * An admission.
   *
   * @param reservation the reservation granted (or granted before, for a repeated enter)
   * @return the result
   */
  public static EnterResult admitted(Reservation reservation) {
    return new EnterResult(EnterOutcome.ADMITTED, Objects.requireNonNull(reservation, "reservation"), 0, 0);
  }

  /**
   * A refusal because the ticket may not enter yet.
   *
   * @param position the current 1-based position, or 0 in the pre-queue
   * @param etaSeconds the current ETA in seconds
   * @return the result
   * @throws IllegalArgumentException for a negative position or ETA
   */
  public static EnterResult notReady(long position, long etaSeconds) {
    if (position < 0 || etaSeconds < 0) {
      throw new IllegalArgumentException("position and etaSeconds must not be negative");
    }
    return new EnterResult(EnterOutcome.NOT_READY, null, position, etaSeconds);
  }

  /**
   * The ticket is neither in line nor admitted.
   *
   * @return the shared not-found result
   */
  public static EnterResult notFound() {
    return NOT_FOUND;
  }

  /**
   * The event is closed.
   *
   * @return the shared event-closed result
   */
  public static EnterResult eventClosed() {
    return EVENT_CLOSED;
  }

  /**
   * The event is sold out.
   *
   * @return the shared sold-out result
   */
  public static EnterResult soldOut() {
    return SOLD_OUT;
  }

  /**
   * What happened.
   *
   * @return the outcome
   */
  public EnterOutcome outcome() {
    return outcome;
  }

  /**
   * Whether the ticket was admitted.
   *
   * @return {@code outcome() == ADMITTED}
   */
  public boolean admitted() {
    return outcome == EnterOutcome.ADMITTED;
  }

  /**
   * The reservation, present exactly when admitted.
   *
   * @return the reservation or empty
   */
  public Optional<Reservation> reservation() {
    return Optional.ofNullable(reservation);
  }

  /**
   * The position when not ready; 0 otherwise.
   *
   * @return the 1-based position, or 0
   */
  public long position() {
    return position;
  }

  /**
   * The ETA when not ready; 0 otherwise.
   *
   * @return seconds
   */
  public long etaSeconds() {
    return etaSeconds;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EnterResult)) {
      return false;
    }
    EnterResult that = (EnterResult) o;
    return outcome == that.outcome && position == that.position && etaSeconds == that.etaSeconds
        && Objects.equals(reservation, that.reservation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(outcome, reservation, position, etaSeconds);
  }

  @Override
  public String toString() {
    switch (outcome) {
      case ADMITTED:
        return "EnterResult{ADMITTED, " + reservation + '}';
      case NOT_READY:
        return "EnterResult{NOT_READY, position=" + position + ", etaSeconds=" + etaSeconds + '}';
      default:
        return "EnterResult{" + outcome + "}";
    }
  }
}
