package io.github.waitingqueue.internal;

import io.github.waitingqueue.TicketState;
import java.time.Duration;

/**
 * When a waiting page should poll again, written once for both queues (see
 * {@link io.github.waitingqueue.TicketStatus#nextPollAfter()} for the formula users read).
 */
public final class Pacing {
  /** The shortest pause between polls (ms). */
  public static final long MIN_POLL_MS = 1_000;
  /** The longest pause between polls (ms), whatever the idle timeout. */
  public static final long MAX_POLL_MS = 60_000;
  /** The shortest pause while waiting or in the pre-queue (ms), and the pause near the head. */
  public static final long WAITING_MIN_POLL_MS = 2_000;
  /** Within this many places of the head, a ticket polls at the shortest waiting pace, whatever its ETA. */
  public static final long NEAR_HEAD = 10;

  private Pacing() {}

  /**
   * The pause before the next poll of a ticket.
   *
   * @param state the ticket's state
   * @param position its position (0 in the pre-queue)
   * @param etaSeconds its ETA
   * @param idleMs the event's idle timeout (0 when idle tickets are never evicted)
   * @param sequence the ticket's sequence number, whose golden-ratio fraction spreads the pause
   *     between 80% and 120% so that people who joined together do not poll together
   * @return the pause; zero when there is nothing more to poll for (not found, closed, sold out)
   */
  public static Duration nextPoll(TicketState state, long position, long etaSeconds, long idleMs, long sequence) {
    if (state == TicketState.NOT_FOUND || state == TicketState.CLOSED || state == TicketState.SOLD_OUT) {
      return Duration.ZERO;
    }
    // at least three polls per idle timeout, so a poll lost now and then never gets anyone evicted
    long cap = Math.max(MIN_POLL_MS, Math.min(MAX_POLL_MS, idleMs > 0 ? idleMs / 4 : MAX_POLL_MS));
    if (state == TicketState.READY) {
      return Duration.ofMillis(MIN_POLL_MS);
    }
    long base = state == TicketState.PAUSED ? cap
        : state == TicketState.WAITING && position <= NEAR_HEAD ? WAITING_MIN_POLL_MS
        : Math.max(WAITING_MIN_POLL_MS, etaSeconds * 1000 / 4);
    double fraction = (sequence * 0.6180339887498949) % 1.0;
    long jittered = (long) (base * (0.8 + 0.4 * fraction));
    return Duration.ofMillis(Math.max(MIN_POLL_MS, Math.min(cap, jittered)));
  }
}
