package io.github.waitingqueue;

import java.util.Objects;

/**
 * A snapshot of one event, read atomically.
 *
 * @param eventId the event
 * @param exists whether the event has been created (by a join or by {@code configure}); all counts are 0 when not
 * @param waiting tickets in line now
 * @param admitted reservations held now (unexpired, not completed or released)
 * @param totalJoined tickets ever created
 * @param totalEntered admissions ever granted
 * @param totalLeft tickets that left the line by {@code leave}
 * @param totalReleased reservations released before they expired
 * @param totalCompleted reservations completed
 */
public record QueueStats(String eventId, boolean exists, long waiting, long admitted, long totalJoined,
    long totalEntered, long totalLeft, long totalReleased, long totalCompleted) {
  /**
   * Validates the components.
   *
   * @throws NullPointerException for a null event id
   */
  public QueueStats {
    Objects.requireNonNull(eventId, "eventId");
  }
}
