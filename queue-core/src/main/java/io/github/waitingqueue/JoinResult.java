package io.github.waitingqueue;

import java.util.Objects;

/**
 * The result of {@link WaitingQueue#join(String, String)}: the user's ticket and where it stands.
 *
 * @param outcome whether the ticket is new, the user was already waiting, or why no ticket was given
 * @param waitingToken the token to present to {@code status}, {@code enter} and {@code leave} (the same
 *     token for a repeated join while waiting); null exactly when the outcome {@linkplain JoinOutcome#hasTicket()
 *     gives no ticket}
 * @param state where the ticket stands now, as {@link TicketStatus#state()} would say
 * @param position 1-based place in line at the moment of the call, when the state has one; else 0
 * @param etaSeconds estimated seconds until the ticket may enter (until the opening, in the pre-queue)
 */
public record JoinResult(JoinOutcome outcome, String waitingToken, TicketState state, long position,
    long etaSeconds) {
  /**
   * Validates the components.
   *
   * @throws NullPointerException for a null outcome or state, or a null token when joined
   * @throws IllegalArgumentException for a negative ETA, or a position that does not fit the state
   */
  public JoinResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(state, "state");
    if (outcome.hasTicket()) {
      Objects.requireNonNull(waitingToken, "waitingToken");
    }
    if (etaSeconds < 0 || position < 0 || TicketStatus.hasPosition(state) != (position > 0)) {
      throw new IllegalArgumentException("a " + state + " ticket cannot be at position " + position
          + " with ETA " + etaSeconds);
    }
  }

  /**
   * Whether {@code enter} would admit the ticket now.
   *
   * @return {@code state() == READY}
   */
  public boolean readyForEntry() {
    return state == TicketState.READY;
  }
}
