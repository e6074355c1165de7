package io.github.waitingqueue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A virtual waiting room: users join an event's line, poll their exact position, and enter when the
 * event's allowance reaches them; entering yields a {@link Reservation} for the downstream service.
 *
 * <p>Every method is atomic: it takes full effect or none, and no other call observes it half done.
 * Ordinary outcomes are result values; exceptions are thrown only for bad input
 * ({@link InvalidInputException}, {@link InvalidTokenException}: nothing is changed) and for a backend
 * that could not complete the call ({@link QueueUnavailableException}).
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>FIFO</b>: tickets are ordered by a sequence number the store assigns at join, never by a
 *       client clock; two joins in the same millisecond are still strictly ordered.</li>
 *   <li><b>Exact positions</b>: a position is the number of tickets in line ahead plus one, at the
 *       moment of the call; when anyone ahead enters or leaves, every position behind goes down at once.</li>
 *   <li><b>Admission within the allowance</b>: a ticket at position {@code p} may enter when
 *       {@code p <= min(floor(tokens in the rate bucket), free capacity)}. Entering takes one token and
 *       one capacity slot.</li>
 *   <li><b>Idempotence</b>: a repeated join by a waiting user returns the same ticket; a repeated or
 *       concurrent enter with the same token returns the same reservation, never a second slot.</li>
 * </ul>
 *
 * <p>Events are created by their first {@code join} (with the queue's default settings), by
 * {@link #configure(String, EventSettings)} or by a lifecycle call. An event is open, paused, closed, or
 * scheduled to open with a pre-queue ({@link EventState}). Abandoned tickets (idle waiters, and ready
 * tickets that never come to enter) are evicted by bounded sweeps inside ordinary calls.
 */
public interface WaitingQueue extends AutoCloseable {

  /**
   * Puts a user in an event's line, or returns their ticket if they are already waiting. No ticket is
   * created when the event is closed or sold out, or when the event's {@link PerUserLimit} refuses the
   * user (they hold a reservation, or bought already): the outcome says which.
   *
   * @param eventId 1 to 64 characters of {@code [A-Za-z0-9._:-]}
   * @param userId 1 to 128 characters, no whitespace, control characters or braces
   * @return the ticket's token, position, ETA and readiness
   * @throws InvalidInputException when an id is invalid
   * @throws QueueUnavailableException when the backend fails
   */
  default JoinResult join(String eventId, String userId) {
    return join(eventId, userId, null);
  }

  /**
   * Puts a user in a lane of an event's line (see {@link EventSettings#lanes()}), or returns their ticket if
   * they are already waiting, in whatever lane they joined. Every ticket of a lane of higher priority stands
   * ahead of every ticket of a lane of lower priority; within a lane the order is FIFO. Who may join which
   * lane is the application's decision: check it before calling. Otherwise as {@link #join(String, String)}.
   *
   * @param eventId 1 to 64 characters of {@code [A-Za-z0-9._:-]}
   * @param userId 1 to 128 characters, no whitespace, control characters or braces
   * @param lane a lane of the event, or null for the general line (priority 0)
   * @return the ticket's token, position, ETA and readiness
   * @throws InvalidInputException when an id or the lane name is invalid, or the event has no such lane
   *     (nothing changes then)
   * @throws QueueUnavailableException when the backend fails
   */
  JoinResult join(String eventId, String userId, String lane);

  /**
   * Reads where a ticket stands, without consuming anything.
   *
   * @param waitingToken a token from {@link #join}
   * @return waiting (with position and ETA), ready, or not found
   * @throws InvalidTokenException when the token is garbled, forged or not a waiting token
   * @throws QueueUnavailableException when the backend fails
   */
  TicketStatus status(String waitingToken);

  /**
   * Admits a ticket if it is within the allowance: consumes one rate token and one capacity slot,
   * removes the ticket from the line and grants a reservation. Repeating it while the reservation is
   * held returns the same reservation.
   *
   * @param waitingToken a token from {@link #join}
   * @return admitted with a reservation, not ready with the position, not found, closed or sold out
   * @throws InvalidTokenException when the token is garbled, forged or not a waiting token
   * @throws QueueUnavailableException when the backend fails
   */
  EnterResult enter(String waitingToken);

  /**
   * Takes a ticket out of the line; everyone behind moves up at once.
   *
   * <p>False means the ticket is not in line, whatever took it out: an earlier {@code leave}, an
   * admission, an eviction, a purge, or a token never issued. So a repeated {@code leave} that returns
   * false after a failed attempt says the ticket is gone, not that the first attempt worked.
   *
   * @param waitingToken a token from {@link #join}
   * @return true if the ticket was in line and left by this call; false if it was not in line
   * @throws InvalidTokenException when the token is garbled, forged or not a waiting token
   * @throws QueueUnavailableException when the backend fails
   */
  boolean leave(String waitingToken);

  /**
   * Checks a reservation: present while it holds its slot (not expired, completed or released) and it
   * can still be completed (the event is not sold out: when the last item is sold, held reservations no
   * longer verify, so a checkout guarded by {@code verify} stops before it oversells).
   *
   * @param reservationToken a token from {@link Reservation#token()}
   * @return the reservation with its expiry, or empty
   * @throws InvalidTokenException when the token is garbled, forged or not a reservation token
   * @throws QueueUnavailableException when the backend fails
   */
  Optional<Reservation> verify(String reservationToken);

  /**
   * Marks a reservation as used (the purchase went through) and frees its capacity slot. With an
   * {@linkplain EventSettings#inventory() inventory}, it consumes one item; the completion of the last one
   * makes the event {@link EventState#SOLD_OUT} in the same call. Under {@link PerUserLimit#ONE_PURCHASE} the
   * user cannot join the event again.
   *
   * @param reservationToken a token from {@link Reservation#token()}
   * @return true if it was held and is now completed; false if it had already ended
   * @throws SoldOutException when no item remains (checked before anything changes: never oversold)
   * @throws InvalidTokenException when the token is garbled, forged or not a reservation token
   * @throws QueueUnavailableException when the backend fails
   */
  boolean complete(String reservationToken);

  /**
   * Gives a reservation up unused and frees its capacity slot.
   *
   * @param reservationToken a token from {@link Reservation#token()}
   * @return true if it was held and is now released; false if it had already ended
   * @throws InvalidTokenException when the token is garbled, forged or not a reservation token
   * @throws QueueUnavailableException when the backend fails
   */
  boolean release(String reservationToken);

  /**
   * Reads the counters of an event in one atomic snapshot.
   *
   * @param eventId the event
   * @return the snapshot; {@link QueueStats#exists()} is false for an event never created
   * @throws InvalidInputException when the id is invalid
   * @throws QueueUnavailableException when the backend fails
   */
  QueueStats stats(String eventId);

  /**
   * Reads an event's settings.
   *
   * @param eventId the event
   * @return the settings, or empty when the event was never created
   * @throws InvalidInputException when the id is invalid
   * @throws QueueUnavailableException when the backend fails
   */
  Optional<EventSettings> settings(String eventId);

  /**
   * Creates an event with the given settings, or changes them at run time. A change takes effect at
   * once: the rate bucket keeps what it had accumulated under the old rate (capped at the new burst),
   * and held reservations keep their expiry.
   *
   * @param eventId the event
   * @param settings the new settings
   * @throws InvalidInputException when the id is invalid or settings are null
   * @throws IllegalStateException when the event is being purged
   * @throws QueueUnavailableException when the backend fails
   */
  void configure(String eventId, EventSettings settings);

  /**
   * Opens an event now, or resumes a paused or closed one. A scheduled event opens at once: its
   * pre-queue, already in random order, goes ahead of everyone who joins from now on.
   *
   * @param eventId the event; created with the default settings when new
   * @throws InvalidInputException when the id is invalid
   * @throws IllegalStateException when the event is being purged
   * @throws QueueUnavailableException when the backend fails
   */
  void openEvent(String eventId);

  /**
   * Pauses an event: joins still queue, nobody is admitted, waiters see {@link TicketState#PAUSED}.
   *
   * @param eventId the event; created with the default settings when new
   * @throws InvalidInputException when the id is invalid
   * @throws IllegalStateException when the event is being purged
   * @throws QueueUnavailableException when the backend fails
   */
  void pauseEvent(String eventId);

  /**
   * Closes an event: joins are refused ({@link JoinOutcome#EVENT_CLOSED}), nobody is admitted, and
   * waiters see {@link TicketState#CLOSED}. Held reservations stay valid until they end.
   *
   * @param eventId the event; created with the default settings when new
   * @throws InvalidInputException when the id is invalid
   * @throws IllegalStateException when the event is being purged
   * @throws QueueUnavailableException when the backend fails
   */
  void closeEvent(String eventId);

  /**
   * Schedules the opening of an event. Until then, joiners go to a pre-queue and see
   * {@link TicketState#PRE_QUEUE}; at the opening they stand in a random order (arriving early gives no
   * edge), ahead of everyone who joins later, in FIFO order. Each pre-queue ticket gets its random place
   * when it joins, so the opening itself costs nothing and positions are exact from its first instant.
   *
   * @param eventId the event; created with the default settings when new
   * @param opensAt when the event opens
   * @throws InvalidInputException when the id is invalid, or the time is null or not within 100 years of
   *     now either way
   * @throws IllegalStateException when the event has opened and people are in line (a pre-queue would
   *     overtake them), or the event is being purged
   * @throws QueueUnavailableException when the backend fails
   */
  void scheduleOpening(String eventId, Instant opensAt);

  /**
   * Deletes a closed event in bounded steps: each call removes a bounded batch. Call it until it
   * returns true; then every trace of the event, settings and counters included, is gone, and the id
   * may start a new event. From the first call the event is {@link EventState#PURGING}: every call but
   * this one and {@code stats} is refused until the purge is done.
   *
   * @param eventId the event
   * @return true when the event is gone (or never existed); false when more calls are needed
   * @throws InvalidInputException when the id is invalid
   * @throws IllegalStateException when the event is not closed
   * @throws QueueUnavailableException when the backend fails
   */
  boolean purgeEvent(String eventId);

  /**
   * Evicts abandoned tickets now, in one bounded batch: waiters idle past the idle timeout (examined
   * from a cursor that goes round the line) and ready tickets past the grace. Ordinary calls already
   * sweep each event every 250 ms, with a batch that grows with the line, so no background thread is
   * needed; this is for a scheduler that wants quiet events swept too (the Redis queue can run one
   * itself). A sweep after the whole event was silent for longer than half the idle timeout counts
   * idleness again from then: an outage is not idleness.
   *
   * @param eventId the event
   * @return how many tickets were evicted
   * @throws InvalidInputException when the id is invalid
   * @throws QueueUnavailableException when the backend fails
   */
  long sweep(String eventId);

  /**
   * Reads an event's audit trail, oldest first. Empty unless the event's settings turn it on.
   *
   * @param eventId the event
   * @param afterId read entries after this id; {@code "0"} to read from the start
   * @param limit at most this many entries, 1 to 10,000
   * @return the entries
   * @throws InvalidInputException when an argument is invalid
   * @throws QueueUnavailableException when the backend fails
   */
  List<AuditEntry> auditTrail(String eventId, String afterId, int limit);

  /** Releases the resources this queue owns (not a client passed in by the caller). */
  @Override
  void close();
}
