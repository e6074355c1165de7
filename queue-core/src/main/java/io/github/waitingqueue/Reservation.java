package io.github.waitingqueue;

import java.time.Instant;
import java.util.Objects;

/**
 * Proof of admission, handed to the downstream service (seat hold, checkout). It holds one capacity
 * slot of its event until it is completed, released or expires.
 *
 * @param token the reservation token for {@code verify}, {@code complete} and {@code release}
 * @param eventId the event it admits to
 * @param userId the admitted user
 * @param expiresAt when it lapses unless completed or released first
 */
public record Reservation(String token, String eventId, String userId, Instant expiresAt) {
  /**
   * Validates the components.
   *
   * @throws NullPointerException for a null component
   */
  public Reservation {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
