package io.github.waitingqueue.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps, every interval, each event this queue served lately, on one daemon thread: quiet events
 * (few polls, many abandoned tickets) are then swept as often as busy ones. Sweeps are bounded
 * batches, and several instances sweeping one event share its cursor, so running one in every
 * instance is safe. Its failures (Redis down) are logged at DEBUG and retried at the next tick.
 */
final class BackgroundSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundSweeper.class);
  /** An event not used by this instance for this long is no longer swept by it. */
  static final long FORGET_AFTER_MS = Duration.ofMinutes(30).toMillis();

  private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final ToLongFunction<String> sweep;

  BackgroundSweeper(Duration interval, ToLongFunction<String> sweep) {
    this.sweep = sweep;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "waiting-queue-sweeper");
      t.setDaemon(true);
      return t;
    });
    long ms = interval.toMillis();
    timer.scheduleWithFixedDelay(this::sweepAll, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Notes that the event was used now. */
  void used(String eventId) {
    lastUsed.put(eventId, System.currentTimeMillis());
  }

  private void sweepAll() {
    long now = System.currentTimeMillis();
    lastUsed.entrySet().removeIf(e -> now - e.getValue() > FORGET_AFTER_MS);
    for (String eventId : lastUsed.keySet()) {
      try {
        sweep.applyAsLong(eventId);
      } catch (RuntimeException e) {
        LOG.debug("wq background sweep of event {} failed: {}", eventId, e.toString());
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
