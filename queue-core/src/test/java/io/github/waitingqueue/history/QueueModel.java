package io.github.waitingqueue.history;

import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.JoinOutcome;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.internal.Pacing;
import io.github.waitingqueue.internal.Ticket;
import io.github.waitingqueue.internal.Tokens;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The sequential specification of one event of a {@link io.github.waitingqueue.WaitingQueue} whose clock
 * stands still: the line in sequence order, the held reservations, and the rate bucket (which never
 * refills, since time does not pass; reservations never expire for the same reason). It computes the
 * exact result every call must return, tokens included (they are deterministic), so a recorded result
 * is right exactly when it equals the model's.
 *
 * <p>The event is open, and eviction of idle or late waiters is off (the clock stands still anyway), so
 * tickets leave the line only by enter and leave. Fewer than five admissions happen (the burst is
 * smaller), so the ETA uses the configured rate, not the measured one.
 *
 * <p>It is written from the documented behaviour, independently of the implementations, and checked
 * against {@link io.github.waitingqueue.InMemoryWaitingQueue} on random sequential runs.
 */
public final class QueueModel implements LinearizabilityChecker.Model<QueueModel.State> {
  private final String eventId;
  private final EventSettings settings;
  private final long now;
  private final Tokens tokens;

  /**
   * The state: immutable, with value equality.
   *
   * @param lastSequence the last sequence number handed out
   * @param line waiting tickets: sequence to user id
   * @param leases sequences of held reservations
   * @param bucket whole tokens in the rate bucket
   */
  public record State(long lastSequence, TreeMap<Long, String> line, TreeSet<Long> leases, long bucket) {
    Long sequenceOf(String user) {
      for (var e : line.entrySet()) {
        if (e.getValue().equals(user)) {
          return e.getKey();
        }
      }
      return null;
    }

    long position(long sequence) {
      return line.headMap(sequence, true).size();
    }
  }

  /**
   * A model of an event created with {@code configure(eventId, settings)} before the history starts.
   *
   * @param eventId the event
   * @param settings its settings; the rate must give a whole bucket (the burst is an integer, and nothing refills)
   * @param nowMillis the fixed clock's time, also when the event was created (its incarnation)
   * @param keys the signing keys the queue under test uses
   */
  public QueueModel(String eventId, EventSettings settings, long nowMillis, SigningKeys keys) {
    this.eventId = eventId;
    this.settings = settings;
    this.now = nowMillis;
    this.tokens = new Tokens(keys);
  }

  @Override
  public State initial() {
    return new State(0, new TreeMap<>(), new TreeSet<>(), settings.burst());
  }

  @Override
  public Optional<State> step(State s, Call call) {
    Outcome o = apply(s, call);
    if (call.ok() && !Objects.equals(o.result, call.result())) {
      return Optional.empty();
    }
    return Optional.of(o.state);
  }

  /**
   * What a call returns in a state, and the state after it.
   *
   * @param result the expected result
   * @param state the next state
   */
  public record Outcome(Object result, State state) {}

  /**
   * Applies one call.
   *
   * @param s the state before
   * @param call the call (only kind and argument are read)
   * @return the expected result and the state after
   */
  public Outcome apply(State s, Call call) {
    switch (call.kind()) {
      case JOIN:
        return join(s, call.argument());
      case STATUS:
        return status(s, waiting(call.argument()));
      case ENTER:
        return enter(s, waiting(call.argument()));
      case LEAVE:
        return leave(s, waiting(call.argument()));
      case RELEASE:
        return release(s, reservation(call.argument()));
      default:
        throw new IllegalArgumentException("the model does not cover " + call.kind());
    }
  }

  private Ticket waiting(String token) {
    return tokens.readWaitingToken(token);
  }

  private Ticket reservation(String token) {
    return tokens.readReservationToken(token);
  }

  private long allowance(State s) {
    long a = s.bucket;
    if (settings.hasCapacityLimit()) {
      a = Math.min(a, Math.max(0, settings.capacity() - s.leases.size()));
    }
    return a;
  }

  private long eta(long position, long allowance) {
    return position <= allowance ? 0 : (long) Math.ceil((position - allowance) / settings.admissionRate());
  }

  private Outcome join(State s, String user) {
    Long existing = s.sequenceOf(user);
    State next = s;
    JoinOutcome outcome = JoinOutcome.ALREADY_WAITING;
    long sequence;
    if (existing != null) {
      sequence = existing;
    } else {
      sequence = s.lastSequence + 1;
      TreeMap<Long, String> line = new TreeMap<>(s.line);
      line.put(sequence, user);
      next = new State(sequence, line, s.leases, s.bucket);
      outcome = JoinOutcome.JOINED;
    }
    long position = next.position(sequence);
    long allowance = allowance(next);
    String token = tokens.waitingToken(new Ticket(eventId, user, sequence, Math.floorDiv(now, 1000), now)); // created at now
    return new Outcome(new JoinResult(outcome, token, position <= allowance ? TicketState.READY : TicketState.WAITING,
        position, eta(position, allowance)), next);
  }

  private boolean isWaiting(State s, Ticket t) {
    return t.eventId().equals(eventId) && t.userId().equals(s.line.get(t.sequence()));
  }

  private Outcome status(State s, Ticket t) {
    if (!isWaiting(s, t)) {
      return new Outcome(TicketStatus.notFound(), s);
    }
    long position = s.position(t.sequence());
    long allowance = allowance(s);
    boolean ready = position <= allowance;
    TicketState state = ready ? TicketState.READY : TicketState.WAITING;
    long eta = eta(position, allowance);
    return new Outcome(new TicketStatus(state, position, eta, 0,
        Pacing.nextPoll(state, position, eta, settings.idleTimeout().toMillis(), t.sequence()),
        // a small history admits at most the burst (3), short of the five a measured rate needs
        TicketStatus.etaBasisOf(state, false)), s);
  }

  private Outcome enter(State s, Ticket t) {
    if (t.eventId().equals(eventId) && s.leases.contains(t.sequence())) {
      return new Outcome(EnterResult.admitted(reservationOf(t)), s);
    }
    if (!isWaiting(s, t)) {
      return new Outcome(EnterResult.notFound(), s);
    }
    long position = s.position(t.sequence());
    long allowance = allowance(s);
    if (position > allowance) {
      return new Outcome(EnterResult.notReady(position, eta(position, allowance)), s);
    }
    TreeMap<Long, String> line = new TreeMap<>(s.line);
    line.remove(t.sequence());
    TreeSet<Long> leases = new TreeSet<>(s.leases);
    leases.add(t.sequence());
    return new Outcome(EnterResult.admitted(reservationOf(t)), new State(s.lastSequence, line, leases, s.bucket - 1));
  }

  private Reservation reservationOf(Ticket t) {
    return new Reservation(tokens.reservationToken(t), t.eventId(), t.userId(),
        Instant.ofEpochMilli(now + settings.reservationTtl().toMillis()));
  }

  private Outcome leave(State s, Ticket t) {
    if (!isWaiting(s, t)) {
      return new Outcome(Boolean.FALSE, s);
    }
    TreeMap<Long, String> line = new TreeMap<>(s.line);
    line.remove(t.sequence());
    return new Outcome(Boolean.TRUE, new State(s.lastSequence, line, s.leases, s.bucket));
  }

  private Outcome release(State s, Ticket t) {
    if (!t.eventId().equals(eventId) || !s.leases.contains(t.sequence())) {
      return new Outcome(Boolean.FALSE, s);
    }
    TreeSet<Long> leases = new TreeSet<>(s.leases);
    leases.remove(t.sequence());
    return new Outcome(Boolean.TRUE, new State(s.lastSequence, s.line, leases, s.bucket));
  }
}
