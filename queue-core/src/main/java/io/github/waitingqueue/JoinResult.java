package io.github.waitingqueue;

import java.util.Objects;

/**
 * The result of {@link WaitingQueue#join(String, String)}: the user's ticket and where it stands.
 *
 * @param outcome whether the ticket is new or the user was already waiting
 * @param waitingToken the token to present to {@code status}, {@code enter} and {@code leave}; the same
 *     token for a repeated join while waiting
 * @param position 1-based place in line at the moment of the call
 * @param etaSeconds estimated seconds until the ticket may enter; 0 when it may enter now
 * @param readyForEntry whether {@code enter} would admit the ticket now
 */
public record JoinResult(JoinOutcome outcome, String waitingToken, long position, long etaSeconds,
    boolean readyForEntry) {
  /**
   * Validates the components.
   *
   * @throws NullPointerException for a null outcome or token
   * @throws IllegalArgumentException for a position below 1 or a negative ETA
   */
  public JoinResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(waitingToken, "waitingToken");
    if (position < 1 || etaSeconds < 0) {
      throw new IllegalArgumentException("position must be >= 1 and etaSeconds >= 0");
    }
  }
}
