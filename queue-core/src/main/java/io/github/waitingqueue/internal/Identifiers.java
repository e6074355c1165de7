package io.github.waitingqueue.internal;

import io.github.waitingqueue.InvalidInputException;

/**
 * Validation of the identifiers callers pass in. Implementations call it before touching any state;
 * services may call it to reject bad requests early with the same messages.
 */
public final class Identifiers {
  /** Longest accepted event id, in characters. */
  public static final int MAX_EVENT_ID_LENGTH = 64;
  /** Longest accepted user id, in characters. */
  public static final int MAX_USER_ID_LENGTH = 128;

  private Identifiers() {}

  /**
   * Checks an event id: 1 to 64 characters of {@code [A-Za-z0-9._:-]}. Braces are refused because Redis
   * keys carry the id inside a {@code {...}} hash tag.
   *
   * @param eventId the id to check
   * @return the same id
   * @throws InvalidInputException when it is null, empty, too long or has another character
   */
  public static String requireEventId(String eventId) {
    if (eventId == null) {
      throw new InvalidInputException("eventId must not be null");
    }
    if (eventId.isEmpty()) {
      throw new InvalidInputException("eventId must not be empty");
    }
    if (eventId.length() > MAX_EVENT_ID_LENGTH) {
      throw new InvalidInputException(
          "eventId must be at most " + MAX_EVENT_ID_LENGTH + " characters, got " + eventId.length());
    }
    for (int i = 0; i < eventId.length(); i++) {
      char c = eventId.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        throw new InvalidInputException("eventId may only hold [A-Za-z0-9._:-], found "
            + describe(c) + " at index " + i);
      }
    }
    return eventId;
  }

  /**
   * Checks a user id: 1 to 128 characters, none of them whitespace, a control character, a brace or
   * a lone surrogate. Any other Unicode is accepted (e-mail addresses, UUIDs, opaque ids).
   *
   * @param userId the id to check
   * @return the same id
   * @throws InvalidInputException when it is null, blank, too long or holds a refused character
   */
  public static String requireUserId(String userId) {
    if (userId == null) {
      throw new InvalidInputException("userId must not be null");
    }
    if (userId.isEmpty()) {
      throw new InvalidInputException("userId must not be empty");
    }
    if (userId.length() > MAX_USER_ID_LENGTH) {
      throw new InvalidInputException(
          "userId must be at most " + MAX_USER_ID_LENGTH + " characters, got " + userId.length());
    }
    for (int i = 0; i < userId.length(); i++) {
      char c = userId.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)
          || c == '{' || c == '}' || c == '\uFEFF') {
        throw new InvalidInputException("userId must not contain " + describe(c) + " (index " + i + ")");
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= userId.length() || !Character.isLowSurrogate(userId.charAt(i + 1))) {
          throw new InvalidInputException("userId holds a lone surrogate at index " + i);
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw new InvalidInputException("userId holds a lone surrogate at index " + i);
      }
    }
    return userId;
  }

  /** Longest accepted lane name, in characters. */
  public static final int MAX_LANE_LENGTH = 32;

  /**
   * Checks a lane name: 1 to 32 characters of {@code [A-Za-z0-9._-]}, the first a letter or a digit.
   *
   * @param what what the name is, for the message ("lane")
   * @param lane the name to check
   * @return the same name
   * @throws InvalidInputException when it is null, empty, too long or has another character
   */
  public static String requireLane(String what, String lane) {
    if (lane == null) {
      throw new InvalidInputException(what + " must not be null");
    }
    if (lane.isEmpty() || lane.length() > MAX_LANE_LENGTH) {
      throw new InvalidInputException(what + " must be 1 to " + MAX_LANE_LENGTH + " characters, got " + lane.length());
    }
    for (int i = 0; i < lane.length(); i++) {
      char c = lane.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
        throw new InvalidInputException(what + " may only hold [A-Za-z0-9._-] and must start with a letter or digit, found "
            + describe(c) + " at index " + i);
      }
    }
    return lane;
  }

  /**
   * Checks an audit trail position: {@code "0"} or an entry id such as {@code 1767225600000-3}.
   *
   * @param afterId the id to check
   * @return the same id
   * @throws InvalidInputException when null or not of that form
   */
  public static String requireAuditId(String afterId) {
    if (afterId == null || !afterId.matches("\\d{1,19}(-\\d{1,19})?")) {
      throw new InvalidInputException("afterId must be \"0\" or an audit entry id like 1767225600000-0");
    }
    return afterId;
  }

  /**
   * Checks the number of audit entries asked for.
   *
   * @param limit the number
   * @return the same number
   * @throws InvalidInputException when not between 1 and 10,000
   */
  public static int requireAuditLimit(int limit) {
    if (limit < 1 || limit > 10_000) {
      throw new InvalidInputException("limit must be between 1 and 10000, got " + limit);
    }
    return limit;
  }

  /** How far from now a scheduled opening may be, either way. */
  static final java.time.Duration MAX_OPENING_DISTANCE = java.time.Duration.ofDays(36_525);

  /**
   * Checks a scheduled opening: not null, and within 100 years of now either way, so that every
   * instant is exact in epoch milliseconds and reads back as the same date.
   *
   * @param opensAt the opening
   * @param nowMs the current time in epoch ms
   * @return the opening in epoch ms
   * @throws InvalidInputException when it is null or out of range
   */
  public static long requireOpening(java.time.Instant opensAt, long nowMs) {
    if (opensAt == null) {
      throw new InvalidInputException("opensAt must not be null");
    }
    java.time.Instant now = java.time.Instant.ofEpochMilli(nowMs);
    if (opensAt.isBefore(now.minus(MAX_OPENING_DISTANCE)) || opensAt.isAfter(now.plus(MAX_OPENING_DISTANCE))) {
      throw new InvalidInputException("opensAt must be within 100 years of now (" + now + "), got " + opensAt);
    }
    return opensAt.toEpochMilli();
  }

  public static String describe(char c) {
    if (c >= 0x21 && c < 0x7f) {
      return "'" + c + "'";
    }
    return String.format("U+%04X", (int) c);
  }
}
