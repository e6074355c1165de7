package io.github.waitingqueue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one event, read atomically.
 *
 * @param eventId the event
 * @param exists whether the event has been created (by a join, {@code configure} or a lifecycle call);
 *     all counts are 0 when not
 * @param state the lifecycle state ({@link EventState#OPEN} for an event that does not exist)
 * @param opensAt the scheduled opening while {@link EventState#SCHEDULED}, else null
 * @param waiting tickets in line now (the pre-queue included)
 * @param admitted reservations held now (unexpired, not completed or released)
 * @param totalJoined tickets ever created
 * @param totalEntered admissions ever granted
 * @param totalLeft tickets that left the line by {@code leave}
 * @param totalEvicted tickets evicted: idle waiters, and ready tickets that never came to enter
 * @param totalReleased reservations released before they expired
 * @param totalCompleted reservations completed
 * @param measuredAdmissionRate admissions per second, a moving average of real admissions (30 s time
 *     constant); 0 until five admissions have been made
 */
public record QueueStats(String eventId, boolean exists, EventState state, Instant opensAt, long waiting,
    long admitted, long totalJoined, long totalEntered, long totalLeft, long totalEvicted, long totalReleased,
    long totalCompleted, double measuredAdmissionRate) {
  /**
   * Validates the components.
   *
   * @throws NullPointerException for a null event id or state
   */
  public QueueStats {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(state, "state");
  }

  /**
   * The stats of an event that was never created.
   *
   * @param eventId the event
   * @return all zeros, state open
   */
  public static QueueStats absent(String eventId) {
    return new QueueStats(eventId, false, EventState.OPEN, null, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /**
   * The scheduled opening, when there is one.
   *
   * @return the opening time or empty
   */
  public Optional<Instant> scheduledOpening() {
    return Optional.ofNullable(opensAt);
  }
}
