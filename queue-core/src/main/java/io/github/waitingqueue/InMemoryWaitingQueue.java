package io.github.waitingqueue;

import static io.github.waitingqueue.internal.QueueRules.*;

import io.github.waitingqueue.internal.CallReports;
import io.github.waitingqueue.internal.Identifiers;
import io.github.waitingqueue.internal.LiveSequences;
import io.github.waitingqueue.internal.Pacing;
import io.github.waitingqueue.internal.QueueRules;
import io.github.waitingqueue.internal.Ticket;
import io.github.waitingqueue.internal.Tokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WaitingQueue} held in this JVM's memory, with exactly the behaviour of the Redis
 * implementation (the same contract suite runs against both; the state machine below mirrors the Lua
 * scripts step by step). Thread-safe: each event is guarded by its own lock, so calls on one event are
 * linearizable and calls on different events do not contend.
 *
 * <p>Use it in unit tests of services built on the library (inject a {@link Clock} through
 * {@link QueueConfig.Builder#clock(Clock)} to control time), and for single-instance development.
 * Its state is lost with the JVM.
 */
public final class InMemoryWaitingQueue implements WaitingQueue {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryWaitingQueue.class);

  private final Tokens tokens;
  private final EventSettings defaults;
  private final Clock clock;
  private final CallReports reports;
  private final RandomGenerator random;
  private final Map<String, Room> rooms = new ConcurrentHashMap<>();

  private InMemoryWaitingQueue(QueueConfig config) {
    this.tokens = new Tokens(config.signingKeys());
    this.defaults = config.defaultEventSettings();
    this.clock = config.clock().orElse(Clock.systemUTC());
    this.reports = new CallReports(config.listener(), LOG);
    this.random = config.random().orElseGet(SecureRandom::new);
  }

  /**
   * Creates an empty in-memory queue.
   *
   * @param config signing keys, default event settings, listener, and optionally the clock (default:
   *     system UTC)
   * @return the queue
   */
  public static InMemoryWaitingQueue create(QueueConfig config) {
    return new InMemoryWaitingQueue(Objects.requireNonNull(config, "config"));
  }

  @Override
  public JoinResult join(String eventId, String userId, String lane) {
    Identifiers.requireEventId(eventId);
    Identifiers.requireUserId(userId);
    if (lane != null) {
      Identifiers.requireLane("lane", lane);
    }
    long now = clock.millis();
    Room existing = rooms.get(eventId);
    // an unknown lane creates no event: checked against the settings a new event would have, then again
    // under the room's lock against those it has
    laneBlock(existing == null ? defaults : existing.settings, eventId, lane);
    Room room = existing != null ? existing : rooms.computeIfAbsent(eventId, id -> new Room(defaults, now));
    JoinResult result;
    long evicted;
    synchronized (room) {
      long block = laneBlock(room.settings, eventId, lane);
      EventState state = room.state(now);
      Waiter waiter = room.waiting.get(userId);
      JoinOutcome outcome = JoinOutcome.ALREADY_WAITING;
      if (state == EventState.PURGING || (waiter == null && state == EventState.CLOSED)) {
        return closedJoin(eventId);
      }
      if (waiter == null && state == EventState.SOLD_OUT) {
        return refusedJoin(eventId, JoinOutcome.SOLD_OUT, TicketState.SOLD_OUT);
      }
      if (waiter == null) {
        long sequence = room.lastSequence + 1;
        if (sequence > MAX_SEQUENCE) {
          throw new IllegalStateException("this event has issued its last sequence number; close it and open another");
        }
        JoinOutcome refusal = room.perUserRefusal(userId, now);
        if (refusal != null) {
          return refusedJoin(eventId, refusal, TicketState.NOT_FOUND);
        }
        outcome = JoinOutcome.JOINED;
        room.lastSequence = sequence;
        long order = state == EventState.SCHEDULED && sequence < PRE_BITS
            ? QueueRules.drawPlace(room.drawKeys, sequence) : -1;
        waiter = new Waiter(userId, sequence, block, order, Math.floorDiv(now, 1000), room.window(now));
        room.add(waiter);
        room.joined++;
        room.record(AuditAction.JOINED, userId, sequence, now);
      } else {
        room.heartbeat(waiter, now);
      }
      evicted = room.sweepIfDue(now);
      String token = tokens.waitingToken(new Ticket(eventId, userId, waiter.sequence, waiter.joinedSecond, room.incarnation));
      if (room.waiting.get(userId) != waiter) {
        result = new JoinResult(outcome, token, TicketState.NOT_FOUND, 0, 0);
      } else {
        View view = room.view(now, room.rank(waiter));
        result = new JoinResult(outcome, token, view.state, view.position, view.eta);
      }
    }
    return reports.joined(eventId, result, evicted);
  }

  /** The block of a lane of the event (0 for the general line, null), as join.lua's lane_block. */
  private static long laneBlock(EventSettings settings, String eventId, String lane) {
    if (lane == null) {
      return 0;
    }
    Integer priority = settings.lanes().get(lane);
    if (priority == null) {
      throw new InvalidInputException("event " + eventId + " has no lane " + lane);
    }
    return QueueRules.laneBlock(priority);
  }

  private JoinResult closedJoin(String eventId) {
    return refusedJoin(eventId, JoinOutcome.EVENT_CLOSED, TicketState.CLOSED);
  }

  private JoinResult refusedJoin(String eventId, JoinOutcome outcome, TicketState state) {
    return reports.joined(eventId, new JoinResult(outcome, null, state, 0, 0), 0);
  }

  @Override
  public TicketStatus status(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    Room room = rooms.get(ticket.eventId());
    if (room == null) {
      return TicketStatus.notFound();
    }
    long now = clock.millis();
    TicketStatus status;
    long evicted;
    synchronized (room) {
      if (room.state == EventState.PURGING) {
        return new TicketStatus(TicketState.CLOSED, 0, 0, 0, Duration.ZERO, EtaBasis.NONE);
      }
      if (room.isWaiting(ticket)) {
        room.heartbeat(room.waiting.get(ticket.userId()), now);
      }
      evicted = room.sweepIfDue(now);
      if (!room.isWaiting(ticket)) {
        status = TicketStatus.notFound();
      } else {
        Waiter waiter = room.waiting.get(ticket.userId());
        View view = room.view(now, room.rank(waiter));
        // the join time the token carries, as the Redis queue reads it (tokens of the first format carry none)
        long joined = ticket.joinedSecond() == Ticket.UNKNOWN ? waiter.joinedSecond : ticket.joinedSecond();
        long waited = Math.max(0, Math.floorDiv(now, 1000) - joined);
        status = new TicketStatus(view.state, view.position, view.eta, waited,
            Pacing.nextPoll(view.state, view.position, view.eta, room.settings.idleTimeout().toMillis(),
                waiter.sequence), TicketStatus.etaBasisOf(view.state, room.admissions.count >= EWMA_MIN_ADMISSIONS));
      }
    }
    return reports.status(ticket.eventId(), status, evicted);
  }

  @Override
  public EnterResult enter(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    Room room = rooms.get(ticket.eventId());
    if (room == null) {
      return reports.entered(ticket.eventId(), EnterResult.notFound(), false, 0);
    }
    long now = clock.millis();
    EnterResult result;
    long evicted = 0;
    boolean fresh = false;
    synchronized (room) {
      if (room.state == EventState.PURGING) {
        return reports.entered(ticket.eventId(), EnterResult.eventClosed(), false, 0);
      }
      Long heldUntil = room.heldUntil(ticket);
      if (heldUntil != null && heldUntil > now) {
        result = EnterResult.admitted(reservation(ticket, heldUntil));
      } else {
        if (!room.isWaiting(ticket)) {
          evicted = room.sweepIfDue(now);
          result = EnterResult.notFound();
        } else {
          Waiter waiter = room.waiting.get(ticket.userId());
          room.heartbeat(waiter, now);
          if (room.state(now) == EventState.CLOSED) {
            evicted = room.sweepIfDue(now);
            result = EnterResult.eventClosed();
          } else if (room.state == EventState.SOLD_OUT) {
            evicted = room.sweepIfDue(now);
            result = EnterResult.soldOut();
          } else if (room.rank(waiter) <= room.allowance(now)) {
            long expiresAt = room.admit(waiter, now);
            evicted = room.sweepIfDue(now);
            result = EnterResult.admitted(reservation(ticket, expiresAt));
            fresh = true;
          } else {
            evicted = room.sweepIfDue(now);
            if (!room.isWaiting(ticket)) {
              result = EnterResult.notFound();
            } else {
              View view = room.view(now, room.rank(waiter));
              result = EnterResult.notReady(view.position, view.eta);
            }
          }
        }
      }
    }
    return reports.entered(ticket.eventId(), result, fresh, evicted);
  }

  @Override
  public boolean leave(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    Room room = rooms.get(ticket.eventId());
    if (room == null) {
      return reports.left(ticket.eventId(), false);
    }
    long now = clock.millis();
    synchronized (room) {
      if (room.state == EventState.PURGING || !room.isWaiting(ticket)) {
        return reports.left(ticket.eventId(), false);
      }
      room.remove(room.waiting.get(ticket.userId()));
      room.left++;
      room.record(AuditAction.LEFT, ticket.userId(), ticket.sequence(), now);
    }
    return reports.left(ticket.eventId(), true);
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
      Long heldUntil = room.heldUntil(ticket);
      return heldUntil == null || heldUntil <= now || room.state == EventState.PURGING || room.itemsGone()
          ? Optional.empty()
          : Optional.of(reservation(ticket, heldUntil));
    }
  }

  @Override
  public boolean complete(String reservationToken) {
    return endReservation(reservationToken, AuditAction.COMPLETED);
  }

  @Override
  public boolean release(String reservationToken) {
    return endReservation(reservationToken, AuditAction.RELEASED);
  }

  private boolean endReservation(String reservationToken, AuditAction action) {
    Ticket ticket = tokens.readReservationToken(reservationToken);
    Room room = rooms.get(ticket.eventId());
    if (room == null) {
      return false;
    }
    long now = clock.millis();
    synchronized (room) {
      if (room.state == EventState.PURGING) {
        return false;
      }
      Long heldUntil = room.heldUntil(ticket);
      if (heldUntil == null || heldUntil <= now) {
        return false;
      }
      if (action == AuditAction.COMPLETED && room.itemsGone()) {
        throw new SoldOutException("event " + ticket.eventId() + " is sold out: no item remains for this reservation");
      }
      room.removeLease(leaseMember(ticket));
      room.ends.record(now);
      if (action == AuditAction.COMPLETED && room.settings.perUserLimit() == PerUserLimit.ONE_PURCHASE) {
        room.holders.put(ticket.userId(), Room.BOUGHT);
      } else {
        room.holders.remove(ticket.userId(), ticket.sequence());
      }
      if (action == AuditAction.COMPLETED) {
        room.completed++;
      } else {
        room.released++;
      }
      room.record(action, ticket.userId(), ticket.sequence(), now);
      if (action == AuditAction.COMPLETED && room.itemsGone() && room.state != EventState.CLOSED) {
        room.sellOut(now);
      }
    }
    return reports.ended(action.name().toLowerCase(java.util.Locale.ROOT), ticket.eventId(), true);
  }

  @Override
  public QueueStats stats(String eventId) {
    Identifiers.requireEventId(eventId);
    Room room = rooms.get(eventId);
    if (room == null) {
      return QueueStats.absent(eventId);
    }
    long now = clock.millis();
    synchronized (room) {
      EventState state = room.state(now);
      return QueueStats.builder(eventId).state(state)
          .opensAt(state == EventState.SCHEDULED ? Instant.ofEpochMilli(room.opensAt) : null)
          .waiting(room.waiting.size()).waitingByPriority(room.waitingByPriority()).admitted(room.activeLeases(now))
          .totalJoined(room.joined).totalEntered(room.entered).totalLeft(room.left).totalEvicted(room.evicted)
          .totalReleased(room.released).totalCompleted(room.completed).totalPurged(room.purged)
          .measuredAdmissionRate(room.measuredRate(now))
          .measuredEndRate(room.ends.measured(now))
          .drawCommitment(room.drawCommitment)
          .drawSeed(room.drawOpens != null && now >= room.drawOpens ? room.drawSeed : null)
          .inventory(room.settings.inventory())
          .build();
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
    boolean[] created = {false};
    Room room = rooms.computeIfAbsent(eventId, id -> {
      created[0] = true;
      return new Room(settings, now);
    });
    if (!created[0]) {
      synchronized (room) {
        if (room.state == EventState.PURGING) {
          throw new IllegalStateException("the event is being purged; finish purgeEvent before configuring it again");
        }
        double accumulated = room.refilled(now);
        boolean idleChanged = !room.settings.idleTimeout().equals(settings.idleTimeout());
        if (!room.settings.readyGrace().equals(settings.readyGrace())) {
          room.readySince.clear(); // a new grace starts afresh for everyone at the head
        }
        room.settings = settings;
        room.tokens = Math.min(settings.burst(), accumulated);
        room.lastRefill = Math.max(room.lastRefill, now);
        if (idleChanged) {
          room.heartbeatSince = now;
        }
        if (room.state == EventState.SOLD_OUT && !room.itemsGone()) {
          room.state = EventState.OPEN; // raised inventory: the sale goes on
          room.record(AuditAction.OPENED, "", 0, now);
        } else if (room.state != EventState.SOLD_OUT && room.state != EventState.CLOSED && room.itemsGone()) {
          room.sellOut(now); // lowered to what is sold already
        }
      }
    }
    reports.configured(eventId, settings);
  }

  @Override
  public void openEvent(String eventId) {
    lifecycle(eventId, EventState.OPEN, 0);
  }

  @Override
  public void pauseEvent(String eventId) {
    lifecycle(eventId, EventState.PAUSED, 0);
  }

  @Override
  public void closeEvent(String eventId) {
    lifecycle(eventId, EventState.CLOSED, 0);
  }

  @Override
  public void scheduleOpening(String eventId, Instant opensAt) {
    Identifiers.requireEventId(eventId);
    lifecycle(eventId, EventState.SCHEDULED, Identifiers.requireOpening(opensAt, clock.millis()));
  }

  private void lifecycle(String eventId, EventState target, long opensAt) {
    Identifiers.requireEventId(eventId);
    long now = clock.millis();
    // drawn on every scheduling call, refused or not, as the Redis queue does; kept only by a newly
    // scheduled event
    String seed = target == EventState.SCHEDULED ? QueueRules.newDrawSeed(random) : null;
    Room room = rooms.computeIfAbsent(eventId, id -> new Room(defaults, now));
    synchronized (room) {
      if (room.state == EventState.PURGING) {
        throw new IllegalStateException("the event is being purged; finish purgeEvent before opening it again");
      }
      if (room.state == EventState.SOLD_OUT && target != EventState.CLOSED) {
        throw new IllegalStateException("event " + eventId + " is sold out: raise its inventory with configure to sell on");
      }
      if (target == EventState.SCHEDULED && room.state(now) != EventState.SCHEDULED && !room.waiting.isEmpty()) {
        throw new IllegalStateException("event " + eventId + " has people in line; a pre-queue would overtake them");
      }
      EventState was = room.state(now);
      if (target == EventState.SCHEDULED) {
        if (was != EventState.SCHEDULED) {
          room.drawSeed = seed;
          room.drawCommitment = QueueRules.drawCommitment(seed);
          room.drawKeys = QueueRules.drawKeys(seed);
        }
        room.drawOpens = opensAt;
      } else if (was == EventState.SCHEDULED && target == EventState.OPEN) {
        room.drawOpens = now; // opened early: the pre-queue's order takes effect, and its seed is published, now
      }
      room.state = target;
      room.opensAt = opensAt;
      room.record(lifecycleAction(target), "", 0, now);
    }
    reports.lifecycle(eventId, target);
  }

  static AuditAction lifecycleAction(EventState state) {
    switch (state) {
      case OPEN:
        return AuditAction.OPENED;
      case PAUSED:
        return AuditAction.PAUSED;
      case CLOSED:
        return AuditAction.CLOSED;
      default:
        return AuditAction.SCHEDULED;
    }
  }

  @Override
  public boolean purgeEvent(String eventId) {
    Identifiers.requireEventId(eventId);
    Room room = rooms.get(eventId);
    if (room == null) {
      return true;
    }
    long now = clock.millis();
    synchronized (room) {
      if (room.state(now) != EventState.CLOSED && room.state != EventState.PURGING) {
        throw new IllegalStateException("event " + eventId + " must be closed before it is purged");
      }
      room.state = EventState.PURGING;
      for (int i = 0; i < PURGE_BATCH && !room.waiting.isEmpty(); i++) {
        room.remove(room.head(1).get(0));
        room.purged++;
      }
      for (int i = 0; i < PURGE_BATCH && !room.leases.isEmpty(); i++) {
        room.removeLease(room.leases.first().member);
      }
      if (!room.waiting.isEmpty() || !room.leases.isEmpty()) {
        return false;
      }
      rooms.remove(eventId, room);
    }
    return reports.purged(eventId, true);
  }

  @Override
  public long sweep(String eventId) {
    Identifiers.requireEventId(eventId);
    Room room = rooms.get(eventId);
    if (room == null) {
      return 0;
    }
    long now = clock.millis();
    long evicted;
    synchronized (room) {
      if (room.state == EventState.PURGING) {
        return 0;
      }
      evicted = room.sweep(now, EXPLICIT_SWEEP_BATCH);
    }
    return reports.swept(eventId, evicted);
  }

  @Override
  public List<AuditEntry> auditTrail(String eventId, String afterId, int limit) {
    Identifiers.requireEventId(eventId);
    Identifiers.requireAuditId(afterId);
    Identifiers.requireAuditLimit(limit);
    Room room = rooms.get(eventId);
    if (room == null) {
      return List.of();
    }
    synchronized (room) {
      List<AuditEntry> out = new ArrayList<>();
      for (AuditEntry e : room.audit) {
        if (compareIds(e.id(), afterId) > 0) {
          out.add(e);
          if (out.size() == limit) {
            break;
          }
        }
      }
      return out;
    }
  }

  /** Orders stream-style ids "ms-n" (a bare "ms" counts as "ms-0"). */
  static int compareIds(String a, String b) {
    long[] x = parseId(a);
    long[] y = parseId(b);
    return x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]);
  }

  private static long[] parseId(String id) {
    int dash = id.indexOf('-');
    return dash < 0 ? new long[] {Long.parseLong(id), 0}
        : new long[] {Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
  }

  @Override
  public void close() {
    rooms.clear();
  }


  private Reservation reservation(Ticket ticket, long expiresAt) {
    return new Reservation(tokens.reservationToken(ticket), ticket.eventId(), ticket.userId(),
        Instant.ofEpochMilli(expiresAt));
  }

  /** A ticket in line. Its heartbeat window changes; the rest is fixed. */
  private static final class Waiter {
    final String userId;
    final long sequence;
    /** The block of the ticket's lane (0: the general line; lower blocks stand ahead). */
    final long block;
    /** The place under the event's draw (lower first), or -1 for a FIFO ticket. */
    final long order;
    final long joinedSecond;
    /** The last heartbeat window, modulo HB_SPAN, as the ticket's score keeps it in Redis. */
    long window;

    Waiter(String userId, long sequence, long block, long order, long joinedSecond, long window) {
      this.userId = userId;
      this.sequence = sequence;
      this.block = block;
      this.order = order;
      this.joinedSecond = joinedSecond;
      this.window = window;
    }

    boolean preQueued() {
      return order >= 0;
    }

    /** The score within the ticket's lane: as Redis's score without the lane's block. */
    long laneScore() {
      return preQueued() ? (order - PRE_BITS) * HB_SPAN + window : sequence * HB_SPAN + window;
    }

    /** The score Redis gives this ticket: it orders the line and keeps the window. */
    long score() {
      return block * LANE_SPAN + laneScore();
    }
  }

  /** One lane's tickets: the pre-queue by place under the draw, then FIFO tickets by sequence. */
  private static final class Lane {
    final TreeMap<Long, Waiter> preQueue = new TreeMap<>();
    final Map<Waiter, Integer> preIndex = new HashMap<>();
    LiveSequences preRanks;
    final TreeMap<Long, Waiter> fifo = new TreeMap<>();
    final LiveSequences fifoRanks = new LiveSequences();

    int size() {
      return preQueue.size() + fifo.size();
    }

    void add(Waiter w) {
      if (w.preQueued()) {
        preQueue.put(w.order, w);
        preRanks = null;
      } else {
        fifo.put(w.sequence, w);
        fifoRanks.add(w.sequence);
      }
    }

    void remove(Waiter w) {
      if (w.preQueued()) {
        preQueue.remove(w.order);
        Integer index = preIndex.remove(w);
        if (preRanks != null && index != null) {
          preRanks.remove(index);
        }
      } else {
        fifo.remove(w.sequence);
        fifoRanks.remove(w.sequence);
      }
    }

    /** 1-based rank within the lane: the pre-queue by place, then FIFO tickets by sequence. */
    long rank(Waiter w) {
      if (!w.preQueued()) {
        return preQueue.size() + fifoRanks.countUpTo(w.sequence);
      }
      if (preRanks == null) {
        // The pre-queue only grows before the opening; index it once after growth.
        preRanks = new LiveSequences();
        preIndex.clear();
        int i = 0;
        for (Waiter p : preQueue.values()) {
          preIndex.put(p, ++i);
          preRanks.add(i);
        }
      }
      return preRanks.countUpTo(preIndex.get(w));
    }

    /**
     * Appends to {@code out}, up to {@code n} in all, the lane's tickets whose lane score is above
     * {@code from} (all when null), in line order.
     */
    void after(Long from, int n, List<Waiter> out) {
      // a ticket's score lies in its own span of HB_SPAN values: start at the cursor's ticket, then filter
      Iterable<Waiter> pre = from == null ? preQueue.values()
          : from >= 0 ? List.of() : preQueue.tailMap(Math.floorDiv(from, HB_SPAN) + PRE_BITS, true).values();
      Iterable<Waiter> rest = from == null || from < 0 ? fifo.values()
          : fifo.tailMap(Math.floorDiv(from, HB_SPAN), true).values();
      for (Iterable<Waiter> part : List.of(pre, rest)) {
        for (Iterator<Waiter> it = part.iterator(); it.hasNext() && out.size() < n; ) {
          Waiter w = it.next();
          if (from == null || w.laneScore() > from) {
            out.add(w);
          }
        }
      }
    }
  }

  /** The member a ticket's lease has in Redis: the sequence and the user, so a reused sequence never matches. */
  static String leaseMember(Ticket ticket) {
    return ticket.sequence() + ":" + ticket.userId();
  }

  private static final class Lease {
    final long expiresAt;
    final String member;
    final long sequence;
    final String userId;

    Lease(long expiresAt, long sequence, String userId) {
      this.expiresAt = expiresAt;
      this.member = sequence + ":" + userId;
      this.sequence = sequence;
      this.userId = userId;
    }
  }

  private static final class View {
    final TicketState state;
    final long position;
    final long eta;

    View(TicketState state, long position, long eta) {
      this.state = state;
      this.position = position;
      this.eta = eta;
    }
  }

  /**
   * Events a second, as an exponentially weighted moving average (QueueRules.ewmaRate): decayed weight, its
   * time, the first event, and how many were counted. As common.lua keeps ms, mt, m0, mn (admissions) and
   * es, et, e0, en (reservations ending).
   */
  private static final class MovingRate {
    double weight;
    long at;
    long first;
    long count;

    void record(long when) {
      if (count == 0) {
        weight = 1;
        at = when;
        first = when;
      } else {
        weight = QueueRules.ewmaAfter(weight, at, when);
        at = Math.max(at, when);
      }
      count++;
    }

    double rate(long now) {
      return QueueRules.ewmaRate(weight, at, first, now);
    }

    /** The rate once EWMA_MIN_ADMISSIONS events were counted, 0 before: what stats and ETAs call measured. */
    double measured(long now) {
      return count < EWMA_MIN_ADMISSIONS ? 0 : rate(now);
    }
  }

  /** One event's state; every field is guarded by the room's monitor. Mirrors common.lua. */
  private static final class Room {
    /** What {@link #holders} keeps for a user who completed a purchase, under ONE_PURCHASE. */
    static final long BOUGHT = -1;
    /** When the room was created: tokens of a purged earlier life of the event name another incarnation. */
    final long incarnation;
    /** Under a per-user limit: user -> the sequence whose reservation they hold, or BOUGHT. */
    final Map<String, Long> holders = new HashMap<>();
    EventSettings settings;
    EventState state = EventState.OPEN;
    long opensAt;
    double tokens;
    long lastRefill;
    long lastSequence;
    long joined;
    long entered;
    long left;
    long evicted;
    long released;
    long completed;
    long purged;
    // the pre-queue's draw: seed, its commitment, round keys, and when its order took effect
    String drawSeed;
    String drawCommitment;
    long[] drawKeys = new long[0];
    Long drawOpens;
    // the measured rates of admissions, and of reservations ending (completed, released, expired)
    final MovingRate admissions = new MovingRate();
    final MovingRate ends = new MovingRate();
    // idleness is counted from here: creation, a new idle timeout, or the end of an outage
    long heartbeatSince;
    // sweeping
    long sweptAt;
    /** The score after which the next sweep looks, or null to start from the head. */
    Long cursor;
    /** The line's size when the cursor last left the head. */
    long passSize;
    final Map<String, Long> readySince = new LinkedHashMap<>();
    // the line: its lanes by block, the lowest (highest priority) first
    final Map<String, Waiter> waiting = new HashMap<>();
    final TreeMap<Long, Lane> lanes = new TreeMap<>();
    // leases, ordered as Redis orders the sorted set: by expiry, then by member text (bytewise, as UTF-8)
    final Map<String, Lease> leaseByMember = new HashMap<>();
    final TreeSet<Lease> leases = new TreeSet<>(Comparator.<Lease>comparingLong(l -> l.expiresAt)
        .thenComparing(l -> l.member.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.Arrays::compareUnsigned));
    final ArrayDeque<AuditEntry> audit = new ArrayDeque<>();
    long auditClock;
    long auditCounter;

    Room(EventSettings settings, long now) {
      this.incarnation = now;
      this.settings = settings;
      this.tokens = settings.burst();
      this.lastRefill = now;
      this.heartbeatSince = now;
      this.sweptAt = now;
    }

    EventState state(long now) {
      return state == EventState.SCHEDULED && now >= opensAt ? EventState.OPEN : state;
    }

    /** Whether the inventory is all sold: completions reached it. */
    boolean itemsGone() {
      return settings.hasInventory() && completed >= settings.inventory();
    }

    /** Why the per-user limit refuses a new ticket to this user now, or null. */
    JoinOutcome perUserRefusal(String userId, long now) {
      PerUserLimit limit = settings.perUserLimit();
      Long held = limit == PerUserLimit.NONE ? null : holders.get(userId);
      if (held == null) {
        return null;
      }
      if (held == BOUGHT) {
        return limit == PerUserLimit.ONE_PURCHASE ? JoinOutcome.ALREADY_PURCHASED : null;
      }
      Long until = heldUntil(held + ":" + userId);
      return until != null && until > now ? JoinOutcome.HOLDS_RESERVATION : null;
    }

    boolean isWaiting(Ticket ticket) {
      Waiter w = waiting.get(ticket.userId());
      return w != null && w.sequence == ticket.sequence() && ticket.ofIncarnation(incarnation);
    }

    void add(Waiter w) {
      waiting.put(w.userId, w);
      lanes.computeIfAbsent(w.block, b -> new Lane()).add(w);
    }

    void remove(Waiter w) {
      waiting.remove(w.userId);
      readySince.remove(w.userId);
      lanes.get(w.block).remove(w);
    }

    /** How many wait at each lane priority where somebody waits (a block is -priority). */
    Map<Integer, Long> waitingByPriority() {
      Map<Integer, Long> counts = new HashMap<>();
      lanes.forEach((block, lane) -> {
        if (lane.size() > 0) {
          counts.put((int) -block, (long) lane.size());
        }
      });
      return counts;
    }

    /** 1-based rank: every ticket of the lanes ahead, then the rank within the ticket's lane. */
    long rank(Waiter w) {
      long ahead = 0;
      for (Lane lane : lanes.headMap(w.block, false).values()) {
        ahead += lane.size();
      }
      return ahead + lanes.get(w.block).rank(w);
    }

    /** The first {@code n} tickets in line order. */
    List<Waiter> head(int n) {
      return after(null, n);
    }

    /** Up to {@code n} tickets whose score is above {@code from} (all when null), in line order. */
    List<Waiter> after(Long from, int n) {
      List<Waiter> out = new ArrayList<>(n);
      long fromBlock = from == null ? Long.MIN_VALUE : QueueRules.blockOf(from);
      for (Map.Entry<Long, Lane> e : lanes.tailMap(fromBlock, true).entrySet()) {
        if (out.size() >= n) {
          break;
        }
        long block = e.getKey();
        e.getValue().after(from == null || block > fromBlock ? null : from - block * LANE_SPAN, n, out);
      }
      return out;
    }

    double refilled(long now) {
      double t = tokens + Math.max(0, now - lastRefill) * settings.admissionRate() / 1000;
      return Math.min(t, settings.burst());
    }

    long activeLeases(long now) {
      long expired = 0;
      for (Iterator<Lease> it = leases.iterator(); it.hasNext() && it.next().expiresAt <= now; ) {
        expired++;
      }
      return leases.size() - expired;
    }

    long allowance(long now) {
      if (state(now) != EventState.OPEN) {
        return 0;
      }
      long allowance = (long) Math.floor(refilled(now));
      if (settings.hasCapacityLimit() && allowance > 0) {
        allowance = Math.min(allowance, Math.max(0, settings.capacity() - activeLeases(now)));
      }
      return allowance;
    }

    double measuredRate(long now) {
      return admissions.measured(now);
    }

    long eta(long now, long position, long allowance) {
      if (position <= allowance) {
        return 0;
      }
      double rate = admissions.count < EWMA_MIN_ADMISSIONS ? settings.admissionRate()
          : Math.max(measuredRate(now), settings.admissionRate() / EWMA_FLOOR_DIVISOR);
      long free = -1;
      double endsRate = 0;
      if (settings.hasCapacityLimit() && ends.count >= EWMA_MIN_ADMISSIONS) {
        free = Math.max(0, settings.capacity() - activeLeases(now) - allowance);
        endsRate = Math.max(ends.measured(now),
            settings.admissionRate() / EWMA_FLOOR_DIVISOR);
      }
      return QueueRules.eta(position - allowance, rate, free, endsRate);
    }

    View view(long now, long rank) {
      switch (state(now)) {
        case CLOSED:
        case PURGING:
          return new View(TicketState.CLOSED, 0, 0);
        case SOLD_OUT:
          return new View(TicketState.SOLD_OUT, 0, 0);
        case SCHEDULED:
          return new View(TicketState.PRE_QUEUE, 0, (long) Math.ceil((opensAt - now) / 1000.0));
        case PAUSED:
          return new View(TicketState.PAUSED, rank, eta(now, rank, 0));
        default:
          long a = allowance(now);
          return rank <= a ? new View(TicketState.READY, rank, 0) : new View(TicketState.WAITING, rank, eta(now, rank, a));
      }
    }

    long admit(Waiter w, long now) {
      tokens = refilled(now) - 1;
      lastRefill = Math.max(lastRefill, now);
      remove(w);
      long expiresAt = now + settings.reservationTtl().toMillis();
      Lease lease = new Lease(expiresAt, w.sequence, w.userId);
      leases.add(lease);
      leaseByMember.put(lease.member, lease);
      if (settings.perUserLimit() != PerUserLimit.NONE) {
        holders.put(w.userId, w.sequence);
      }
      entered++;
      admissions.record(now);
      record(AuditAction.ENTERED, w.userId, w.sequence, now);
      return expiresAt;
    }

    /** The expiry of the lease of a token's ticket, or null (also for a ticket of another life of the event). */
    Long heldUntil(Ticket ticket) {
      return ticket.ofIncarnation(incarnation) ? heldUntil(leaseMember(ticket)) : null;
    }

    /** Makes the event sold out (its completions reached the inventory), recording it. */
    void sellOut(long now) {
      state = EventState.SOLD_OUT;
      record(AuditAction.SOLD_OUT, "", 0, now);
    }

    /** The expiry of the lease with this member, or null. */
    Long heldUntil(String member) {
      Lease lease = leaseByMember.get(member);
      return lease == null ? null : lease.expiresAt;
    }

    void removeLease(String member) {
      Lease lease = leaseByMember.remove(member);
      if (lease != null) {
        leases.remove(lease);
      }
    }

    void purgeExpiredLeases(long now) {
      for (int i = 0; i < LEASE_PURGE && !leases.isEmpty() && leases.first().expiresAt <= now; i++) {
        Lease l = leases.pollFirst();
        leaseByMember.remove(l.member);
        holders.remove(l.userId, l.sequence);
        ends.record(l.expiresAt);
        record(AuditAction.EXPIRED, l.userId, l.sequence, l.expiresAt);
      }
    }

    // ---- heartbeats, as common.lua: the last window a ticket was seen in ----

    long window(long now) {
      return QueueRules.window(settings.idleTimeout().toMillis(), now);
    }

    void heartbeat(Waiter w, long now) {
      if (!settings.idleTimeout().isZero()) {
        w.window = window(now);
      }
    }

    void evict(Waiter w, long now) {
      remove(w);
      evicted++;
      record(AuditAction.EVICTED, w.userId, w.sequence, now);
    }

    long sweepIfDue(long now) {
      return now - sweptAt >= SWEEP_INTERVAL_MS ? sweep(now, SWEEP_BATCH_MIN) : 0;
    }

    long sweep(long now, long minBatch) {
      long idle = settings.idleTimeout().toMillis();
      long grace = settings.readyGrace().toMillis();
      long gap = QueueRules.outageGap(idle, grace);
      if (gap > 0 && now - sweptAt >= gap) {
        // the whole event was silent: an outage, not idleness; count idleness and grace again from now
        heartbeatSince = now;
        readySince.clear();
      }
      purgeExpiredLeases(now);
      long count = 0;
      sweptAt = now;
      if (idle > 0 && now - heartbeatSince >= idle) {
        if (cursor == null) {
          passSize = waiting.size();
        }
        long batch = QueueRules.sweepBatch(passSize, minBatch);
        List<Waiter> items = after(cursor, (int) batch);
        long k = window(now);
        for (Waiter w : items) {
          if (QueueRules.stale(w.window, k)) {
            evict(w, now);
            count++;
          }
        }
        cursor = items.size() == batch ? items.get(items.size() - 1).score() : null;
      }
      if (grace > 0) {
        long a = allowance(now);
        if (a == 0) {
          readySince.clear();
        } else {
          List<Waiter> head = head((int) Math.min(a, READY_MARKS));
          Map<String, Waiter> inHead = new HashMap<>();
          for (Waiter w : head) {
            inHead.put(w.userId, w);
          }
          readySince.keySet().removeIf(user -> !inHead.containsKey(user));
          for (Waiter w : head) {
            Long since = readySince.get(w.userId);
            if (since == null) {
              readySince.put(w.userId, now);
            } else if (now - since >= grace) {
              evict(w, now);
              count++;
            }
          }
        }
      }
      return count;
    }

    void record(AuditAction action, String userId, long sequence, long at) {
      if (!settings.auditTrail()) {
        return;
      }
      // ids like a Redis stream's: milliseconds, then a counter within the millisecond
      long stamp = Math.max(auditClock, at);
      auditCounter = stamp == auditClock ? auditCounter + 1 : 0;
      auditClock = stamp;
      audit.addLast(new AuditEntry(stamp + "-" + auditCounter, action, userId, sequence, Instant.ofEpochMilli(at)));
      while (audit.size() > settings.auditMaxLength()) {
        audit.removeFirst();
      }
    }
  }
}
