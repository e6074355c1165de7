package io.github.waitingqueue;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link WaitingQueue} held in this JVM's memory, with exactly the behaviour of the Redis
 * implementation (the same contract suite runs against both). Thread-safe: each event is guarded by
 * its own lock, so calls on one event are linearizable and calls on different events do not contend.
 *
 * <p>Use it in unit tests of services built on the library (inject a {@link Clock} through
 * {@link QueueConfig.Builder#clock(Clock)} to control time), and for single-instance development.
 * Its state is lost with the JVM.
 */
public final class InMemoryWaitingQueue implements WaitingQueue {
  private final Tokens tokens;
  private final EventSettings defaults;
  private final Clock clock;
  private final Map<String, Room> rooms = new ConcurrentHashMap<>();

  private InMemoryWaitingQueue(QueueConfig config) {
    this.tokens = new Tokens(config.signingKeys());
    this.defaults = config.defaultEventSettings();
    this.clock = config.clock().orElse(Clock.systemUTC());
  }

  /**
   * Creates an empty in-memory queue.
   *
   * @param config signing keys, default event settings, and optionally the clock (default: system UTC)
   * @return the queue
   */
  public static InMemoryWaitingQueue create(QueueConfig config) {
    return new InMemoryWaitingQueue(Objects.requireNonNull(config, "config"));
  }

  @Override
  public JoinResult join(String eventId, String userId) {
    Identifiers.requireEventId(eventId);
    Identifiers.requireUserId(userId);
    long now = clock.millis();
    Room room = rooms.computeIfAbsent(eventId, id -> new Room(defaults, now));
    synchronized (room) {
      room.purgeExpired(now);
      Long existing = room.waitingByUser.get(userId);
      JoinOutcome outcome = JoinOutcome.ALREADY_WAITING;
      long sequence;
      if (existing != null) {
        sequence = existing;
      } else {
        sequence = ++room.lastSequence;
        room.waitingByUser.put(userId, sequence);
        room.waitingBySequence.put(sequence, new Waiter(userId, Math.floorDiv(now, 1000)));
        room.ranks.add(sequence);
        room.joined++;
        outcome = JoinOutcome.JOINED;
      }
      long position = room.ranks.countUpTo(sequence);
      long allowance = room.allowance(now);
      String token = tokens.waitingToken(new Ticket(eventId, userId, sequence));
      return new JoinResult(outcome, token, position, room.eta(position, allowance), position <= allowance);
    }
  }

  @Override
  public TicketStatus status(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    Room room = rooms.get(ticket.eventId());
    if (room == null) {
      return TicketStatus.notFound();
    }
    long now = clock.millis();
    synchronized (room) {
      room.purgeExpired(now);
      if (!room.isWaiting(ticket)) {
        return TicketStatus.notFound();
      }
      long position = room.ranks.countUpTo(ticket.sequence());
      long allowance = room.allowance(now);
      long waited = Math.max(0, Math.floorDiv(now, 1000) - room.waitingBySequence.get(ticket.sequence()).joinedSecond);
      boolean ready = position <= allowance;
      return new TicketStatus(ready ? TicketState.READY : TicketState.WAITING, position,
          room.eta(position, allowance), waited);
    }
  }

  @Override
  public EnterResult enter(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    Room room = rooms.get(ticket.eventId());
    if (room == null) {
      return EnterResult.notFound();
    }
    long now = clock.millis();
    synchronized (room) {
      room.purgeExpired(now);
      Long heldUntil = room.leases.get(ticket.sequence());
      if (heldUntil != null) {
        return EnterResult.admitted(reservation(ticket, heldUntil));
      }
      if (!room.isWaiting(ticket)) {
        return EnterResult.notFound();
      }
      long position = room.ranks.countUpTo(ticket.sequence());
      long allowance = room.allowance(now);
      if (position > allowance) {
        return EnterResult.notReady(position, room.eta(position, allowance));
      }
      room.tokens = room.refilled(now) - 1;
      room.lastRefill = Math.max(room.lastRefill, now);
      room.removeWaiting(ticket);
      long expiresAt = now + room.settings.reservationTtl().toMillis();
      room.leases.put(ticket.sequence(), expiresAt);
      room.entered++;
      return EnterResult.admitted(reservation(ticket, expiresAt));
    }
  }

  @Override
  public boolean leave(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    Room room = rooms.get(ticket.eventId());
    if (room == null) {
      return false;
    }
    synchronized (room) {
      if (!room.isWaiting(ticket)) {
        return false;
      }
      room.removeWaiting(ticket);
      room.left++;
      return true;
    }
  }

  @Override
  public Optional<Reservation> verify(String reservationToken) {
    Ticket ticket = tokens.readReservationToken(reservationToken);
    Room room = rooms.get(ticket.eventId());
    if (room == null) {
      return Optional.empty();
    }
    long now = clock.millis();
    synchronized (room) {
      room.purgeExpired(now);
      Long heldUntil = room.leases.get(ticket.sequence());
      return heldUntil == null ? Optional.empty() : Optional.of(reservation(ticket, heldUntil));
    }
  }

  @Override
  public boolean complete(String reservationToken) {
    return endReservation(reservationToken, true);
  }

  @Override
  public boolean release(String reservationToken) {
    return endReservation(reservationToken, false);
  }

  private boolean endReservation(String reservationToken, boolean completed) {
    Ticket ticket = tokens.readReservationToken(reservationToken);
    Room room = rooms.get(ticket.eventId());
    if (room == null) {
      return false;
    }
    long now = clock.millis();
    synchronized (room) {
      room.purgeExpired(now);
      if (room.leases.remove(ticket.sequence()) == null) {
        return false;
      }
      if (completed) {
        room.completed++;
      } else {
        room.released++;
      }
      return true;
    }
  }

  @Override
  public QueueStats stats(String eventId) {
    Identifiers.requireEventId(eventId);
    Room room = rooms.get(eventId);
    if (room == null) {
      return new QueueStats(eventId, false, 0, 0, 0, 0, 0, 0, 0);
    }
    long now = clock.millis();
    synchronized (room) {
      room.purgeExpired(now);
      return new QueueStats(eventId, true, room.waitingByUser.size(), room.leases.size(), room.joined,
          room.entered, room.left, room.released, room.completed);
    }
  }

  @Override
  public Optional<EventSettings> settings(String eventId) {
    Identifiers.requireEventId(eventId);
    Room room = rooms.get(eventId);
    if (room == null) {
      return Optional.empty();
    }
    synchronized (room) {
      return Optional.of(room.settings);
    }
  }

  @Override
  public void configure(String eventId, EventSettings settings) {
    Identifiers.requireEventId(eventId);
    if (settings == null) {
      throw new InvalidInputException("settings must not be null");
    }
    long now = clock.millis();
    Room room = rooms.computeIfAbsent(eventId, id -> new Room(settings, now));
    synchronized (room) {
      double accumulated = room.refilled(now);
      room.settings = settings;
      room.tokens = Math.min(settings.burst(), accumulated);
      room.lastRefill = Math.max(room.lastRefill, now);
    }
  }

  @Override
  public void close() {
    rooms.clear();
  }

  private Reservation reservation(Ticket ticket, long expiresAt) {
    return new Reservation(tokens.reservationToken(ticket), ticket.eventId(), ticket.userId(),
        Instant.ofEpochMilli(expiresAt));
  }

  private static final class Waiter {
    final String userId;
    final long joinedSecond;

    Waiter(String userId, long joinedSecond) {
      this.userId = userId;
      this.joinedSecond = joinedSecond;
    }
  }

  /** One event's state; every field is guarded by the room's monitor. */
  private static final class Room {
    EventSettings settings;
    double tokens;
    long lastRefill;
    long lastSequence;
    long joined;
    long entered;
    long left;
    long released;
    long completed;
    final Map<String, Long> waitingByUser = new HashMap<>();
    final TreeMap<Long, Waiter> waitingBySequence = new TreeMap<>();
    final RankIndex ranks = new RankIndex();
    /** Held reservations: sequence to expiry in epoch milliseconds. */
    final Map<Long, Long> leases = new HashMap<>();

    Room(EventSettings settings, long now) {
      this.settings = settings;
      this.tokens = settings.burst();
      this.lastRefill = now;
    }

    boolean isWaiting(Ticket ticket) {
      Long sequence = waitingByUser.get(ticket.userId());
      return sequence != null && sequence == ticket.sequence();
    }

    void removeWaiting(Ticket ticket) {
      waitingByUser.remove(ticket.userId());
      waitingBySequence.remove(ticket.sequence());
      ranks.remove(ticket.sequence());
    }

    /** The bucket's tokens at {@code now}; the same arithmetic, in the same order, as the Lua scripts. */
    double refilled(long now) {
      double t = tokens + Math.max(0, now - lastRefill) * settings.admissionRate() / 1000;
      return Math.min(t, settings.burst());
    }

    long allowance(long now) {
      long allowance = (long) Math.floor(refilled(now));
      if (settings.hasCapacityLimit()) {
        allowance = Math.min(allowance, Math.max(0, settings.capacity() - leases.size()));
      }
      return allowance;
    }

    long eta(long position, long allowance) {
      if (position <= allowance) {
        return 0;
      }
      return (long) Math.ceil((position - allowance) / settings.admissionRate());
    }

    void purgeExpired(long now) {
      for (Iterator<Long> it = leases.values().iterator(); it.hasNext(); ) {
        if (it.next() <= now) {
          it.remove();
        }
      }
    }
  }
}
