package io.github.waitingqueue;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an event's audit trail, recorded in the same atomic call as what it records.
 *
 * @param id the entry's id, increasing; pass the last one read to {@link WaitingQueue#auditTrail} to go on
 * @param action what happened
 * @param userId the user, or empty for lifecycle changes
 * @param sequence the ticket's sequence number, or 0 for lifecycle changes
 * @param at when it happened, by the queue's clock
 */
public record AuditEntry(String id, AuditAction action, String userId, long sequence, Instant at) {
  /**
   * Validates the components.
   *
   * @throws NullPointerException for a null component
   */
  public AuditEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(at, "at");
  }
}
