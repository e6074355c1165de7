package io.github.waitingqueue.examples.server;

import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long the waiting page waits before its next status call: the {@code poll_after_ms} of the status
 * answer. Short near the head of the line, where the turn may come any second; a quarter of the expected
 * wait further back, up to the slowest pace; the slowest pace for a hidden tab. A jitter of ±20% keeps the
 * polls of people who joined together from arriving together.
 *
 * <p>The one place that sets the pace. When the library gives its own hint ({@code TicketStatus}'s
 * next-poll time, planned), this should follow it.
 */
final class PollPacing {
  /** Within this many of the head, the page polls at the fastest pace. */
  static final long NEAR_HEAD = 10;

  private final long minMillis;
  private final long maxMillis;

  PollPacing(Duration min, Duration max) {
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
  }

  /**
   * The pause before the next poll.
   *
   * @param status the ticket's status
   * @param hidden whether the page is in a hidden tab
   * @return milliseconds, between the fastest and the slowest pace
   */
  long pollAfterMillis(TicketStatus status, boolean hidden) {
    return pollAfterMillis(status.state(), status.position(), status.etaSeconds(), hidden);
  }

  /**
   * The pause before the next poll.
   *
   * @param state the ticket's state
   * @param position its position, 0 in the pre-queue
   * @param etaSeconds the expected wait (to the opening, in the pre-queue)
   * @param hidden whether the page is in a hidden tab
   * @return milliseconds, between the fastest and the slowest pace
   */
  long pollAfterMillis(TicketState state, long position, long etaSeconds, boolean hidden) {
    double random = ThreadLocalRandom.current().nextDouble();
    if (hidden) {
      // The slowest pace, spread over the 10% below it: never slower than allowed.
      return Math.max(minMillis, Math.round(maxMillis * (0.9 + 0.1 * random)));
    }
    double jitter = 0.8 + 0.4 * random;
    long base = switch (state) {
      case READY -> minMillis;
      case WAITING -> position <= NEAR_HEAD ? minMillis : etaSeconds * 1000 / 4;
      case PRE_QUEUE -> etaSeconds * 1000 / 4;
      case PAUSED -> maxMillis / 2;
      default -> maxMillis;
    };
    return clamp(Math.round(base * jitter));
  }

  private long clamp(long millis) {
    return Math.max(minMillis, Math.min(maxMillis, millis));
  }
}
