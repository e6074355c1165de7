package io.github.waitingqueue.examples.server;

import io.github.waitingqueue.TicketStatus;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long the waiting page waits before its next status call: the {@code poll_after_ms} of the status
 * answer. A visible page follows the library's hint ({@link TicketStatus#nextPollAfter()}: short near the
 * head, a quarter of the ETA further back, spread by sequence number, within the heartbeats' limit),
 * kept within this server's fastest and slowest pace. A hidden tab polls at the slowest pace, spread over
 * the 10% below it.
 */
final class PollPacing {
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
   * @return milliseconds between the fastest and the slowest pace; 0 when there is nothing to poll for
   */
  long pollAfterMillis(TicketStatus status, boolean hidden) {
    long hint = status.nextPollAfter().toMillis();
    if (hint == 0) {
      return 0;
    }
    if (hidden) {
      // the slowest pace, spread over the 10% below it: never slower than allowed
      return Math.max(minMillis, Math.round(maxMillis * (0.9 + 0.1 * ThreadLocalRandom.current().nextDouble())));
    }
    return Math.max(minMillis, Math.min(maxMillis, hint));
  }
}
