package io.github.waitingqueue.internal;

import io.github.waitingqueue.InvalidInputException;

/**
 * What a waiting or reservation token identifies: one place in one event's line, taken by one user.
 * The sequence number is assigned by the backend when the user joins, so it orders tickets strictly.
 *
 * @param eventId the event, validated by {@link Identifiers#requireEventId(String)}
 * @param userId the user, validated by {@link Identifiers#requireUserId(String)}
 * @param sequence the place in the line assigned at join, 1 or more
 */
public record Ticket(String eventId, String userId, long sequence) {
  /**
   * Validates the components.
   *
   * @throws InvalidInputException when an id is invalid or the sequence is below 1
   */
  public Ticket {
    Identifiers.requireEventId(eventId);
    Identifiers.requireUserId(userId);
    if (sequence < 1) {
      throw new InvalidInputException("sequence must be 1 or more, got " + sequence);
    }
  }
}
