package io.github.waitingqueue.internal;

import io.github.waitingqueue.InvalidInputException;

/**
 * What a waiting or reservation token identifies: one place in one event's line, taken by one user.
 * The sequence number is assigned by the backend when the user joins, so it orders tickets strictly.
 *
 * @param eventId the event, validated by {@link Identifiers#requireEventId(String)}
 * @param userId the user, validated by {@link Identifiers#requireUserId(String)}
 * @param sequence the place in the line assigned at join, 1 or more
 * @param joinedSecond the epoch second of the join, carried by waiting tokens so that a status needs
 *     no lookup for the time waited; {@link #UNKNOWN} when not known (tokens of the first format)
 * @param incarnation which life of the event the ticket belongs to: the ms at which the event was created
 *     (a purged event created again under the same id starts its sequence numbers again, so a sequence number
 *     alone does not name one ticket); {@link #UNKNOWN} when not known (tokens of formats 1 and 2)
 */
public record Ticket(String eventId, String userId, long sequence, long joinedSecond, long incarnation) {
  /** The join time or incarnation of a ticket read from a token that does not carry it. */
  public static final long UNKNOWN = -1;

  /**
   * A ticket whose incarnation is not known.
   *
   * @param eventId the event
   * @param userId the user
   * @param sequence the place in the line
   * @param joinedSecond the epoch second of the join, or {@link #UNKNOWN}
   */
  public Ticket(String eventId, String userId, long sequence, long joinedSecond) {
    this(eventId, userId, sequence, joinedSecond, UNKNOWN);
  }

  /**
   * A ticket whose join time is not known.
   *
   * @param eventId the event
   * @param userId the user
   * @param sequence the place in the line
   */
  public Ticket(String eventId, String userId, long sequence) {
    this(eventId, userId, sequence, UNKNOWN, UNKNOWN);
  }

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
    if (joinedSecond < UNKNOWN) {
      throw new InvalidInputException("joinedSecond must be 0 or more, got " + joinedSecond);
    }
    if (incarnation < UNKNOWN) {
      throw new InvalidInputException("incarnation must be 0 or more, got " + incarnation);
    }
  }

  /**
   * Whether this ticket may belong to an event of the given incarnation: always when the token did not
   * say (formats 1 and 2), else when they are equal.
   *
   * @param eventIncarnation the incarnation of the event as it exists now (0 for events created before
   *     incarnations were recorded)
   * @return false when the ticket is from another life of the event
   */
  public boolean ofIncarnation(long eventIncarnation) {
    return incarnation == UNKNOWN || incarnation == eventIncarnation;
  }
}
