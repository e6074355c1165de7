package io.github.waitingqueue.redis;

import io.github.waitingqueue.AuditAction;
import io.github.waitingqueue.AuditEntry;
import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.EventState;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.Identifiers;
import io.github.waitingqueue.InvalidInputException;
import io.github.waitingqueue.JoinOutcome;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.QueueListener;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.Ticket;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.Tokens;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.WaitingQueueException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis implementation of {@link WaitingQueue}. Each call is one Lua script, shipped in this jar,
 * run with one {@code EVALSHA} round trip: it updates every structure it touches atomically, so a call
 * takes full effect or none. Order comes from a sequence the script increments, time from Redis
 * {@code TIME}, so all application instances share one clock and one line.
 *
 * <p>Works on any Jedis {@link UnifiedJedis}: {@code RedisClient} (standalone), {@code RedisSentinelClient}
 * and {@code RedisClusterClient}. Every key of an event carries the hash tag {@code {eventId}}, so an
 * event lives in one cluster slot. An event has a fixed set of keys (settings and counters, the line,
 * the reservations, a join-time index, three heartbeat bitmaps, the ready marks of the head of the line
 * and the optional audit stream) and no per-user keys: one sorted set entry and three bits per waiting user.
 *
 * <pre>{@code
 * UnifiedJedis redis = RedisClient.create("redis://localhost:6379");
 * WaitingQueue queue = RedisWaitingQueue.builder(redis)
 *     .config(QueueConfig.builder().signingKeys(SigningKeys.ofText("k1", secret)).build())
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe as the client is. The queue does not own the client: {@link #close()} leaves it open
 * unless {@link Builder#closeClientOnClose(boolean)} says otherwise.
 */
public final class RedisWaitingQueue implements WaitingQueue {
  /** The key prefix used unless the builder sets another. */
  public static final String DEFAULT_KEY_PREFIX = "wq:";

  static final LuaScript JOIN = LuaScript.load("join.lua");
  static final LuaScript STATUS = LuaScript.load("status.lua");
  static final LuaScript ENTER = LuaScript.load("enter.lua");
  static final LuaScript LEAVE = LuaScript.load("leave.lua");
  static final LuaScript VERIFY = LuaScript.load("verify.lua");
  static final LuaScript END_RESERVATION = LuaScript.load("end_reservation.lua");
  static final LuaScript STATS = LuaScript.load("stats.lua");
  static final LuaScript CONFIGURE = LuaScript.load("configure.lua");
  static final LuaScript LIFECYCLE = LuaScript.load("lifecycle.lua");
  static final LuaScript SWEEP = LuaScript.load("sweep.lua");
  static final LuaScript PURGE = LuaScript.load("purge.lua");
  static final LuaScript AUDIT = LuaScript.load("audit.lua");

  /** Tickets an explicit {@link #sweep} examines for idleness. */
  static final int EXPLICIT_SWEEP_BATCH = 256;
  private static final Logger LOG = LoggerFactory.getLogger(RedisWaitingQueue.class);
  private static final TicketState[] TICKET_STATES = {TicketState.NOT_FOUND, TicketState.WAITING,
      TicketState.READY, TicketState.PRE_QUEUE, TicketState.PAUSED, TicketState.CLOSED};

  private final UnifiedJedis redis;
  private final Tokens tokens;
  private final List<String> defaults;
  private final Clock clock;
  private final QueueListener listener;
  private final String keyPrefix;
  private final boolean closeClient;
  private final RandomGenerator random;

  private RedisWaitingQueue(Builder b) {
    this.redis = b.redis;
    this.tokens = new Tokens(b.config.signingKeys());
    this.defaults = settingsArgs(b.config.defaultEventSettings());
    this.clock = b.config.clock().orElse(null);
    this.listener = b.config.listener();
    this.keyPrefix = b.keyPrefix;
    this.closeClient = b.closeClient;
    this.random = b.config.random().orElseGet(SecureRandom::new);
  }

  /**
   * A builder over a Jedis client.
   *
   * @param redis a standalone, Sentinel or Cluster client
   * @return the builder
   * @throws IllegalArgumentException when null
   */
  public static Builder builder(UnifiedJedis redis) {
    return new Builder(redis);
  }

  @Override
  public JoinResult join(String eventId, String userId) {
    Identifiers.requireEventId(eventId);
    Identifiers.requireUserId(userId);
    List<String> args = new ArrayList<>(11);
    args.add(now());
    args.add(userId);
    args.add(Integer.toString(random.nextInt(1 << 26)));
    args.addAll(defaults);
    List<Long> r = longs(JOIN.run(redis, keys(eventId), args));
    listener.evicted(eventId, r.get(5));
    JoinResult result;
    if (r.get(0) == 3) {
      result = new JoinResult(JoinOutcome.EVENT_CLOSED, null, TicketState.CLOSED, 0, 0);
      listener.refused(eventId, JoinOutcome.EVENT_CLOSED.name());
    } else {
      JoinOutcome outcome = r.get(0) == 1 ? JoinOutcome.JOINED : JoinOutcome.ALREADY_WAITING;
      String token = tokens.waitingToken(new Ticket(eventId, userId, r.get(1)));
      result = new JoinResult(outcome, token, TICKET_STATES[r.get(2).intValue()], r.get(3), r.get(4));
      if (outcome == JoinOutcome.JOINED) {
        listener.joined(eventId, result.position());
      }
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("wq op=join event={} outcome={} state={} position={}", eventId, result.outcome(), result.state(),
          result.position());
    }
    return result;
  }

  @Override
  public TicketStatus status(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    List<Long> r = longs(STATUS.run(redis, keys(ticket.eventId()), ticketArgs(ticket)));
    listener.evicted(ticket.eventId(), r.get(4));
    TicketState state = TICKET_STATES[r.get(0).intValue()];
    TicketStatus status = state == TicketState.NOT_FOUND ? TicketStatus.notFound()
        : new TicketStatus(state, r.get(1), r.get(2), r.get(3));
    if (LOG.isDebugEnabled()) {
      LOG.debug("wq op=status event={} state={} position={}", ticket.eventId(), status.state(), status.position());
    }
    return status;
  }

  @Override
  public EnterResult enter(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    List<Long> r = longs(ENTER.run(redis, keys(ticket.eventId()), ticketArgs(ticket)));
    EnterResult result;
    switch (r.get(0).intValue()) {
      case 2:
        result = EnterResult.admitted(reservation(ticket, r.get(1)));
        listener.evicted(ticket.eventId(), r.get(2));
        break;
      case 1:
        result = EnterResult.notReady(r.get(1), r.get(2));
        listener.evicted(ticket.eventId(), r.get(3));
        break;
      case 3:
        result = EnterResult.eventClosed();
        listener.evicted(ticket.eventId(), r.get(1));
        break;
      default:
        result = EnterResult.notFound();
        listener.evicted(ticket.eventId(), r.get(1));
    }
    if (!result.admitted()) {
      listener.refused(ticket.eventId(), result.outcome().name());
    } else if (r.get(3) == 1) {
      listener.entered(ticket.eventId());
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("wq op=enter event={} outcome={} position={}", ticket.eventId(), result.outcome(), result.position());
    }
    return result;
  }

  @Override
  public boolean leave(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    boolean left = asLong(LEAVE.run(redis, keys(ticket.eventId()), ticketArgs(ticket))) == 1;
    if (left) {
      listener.left(ticket.eventId());
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("wq op=leave event={} left={}", ticket.eventId(), left);
    }
    return left;
  }

  @Override
  public Optional<Reservation> verify(String reservationToken) {
    Ticket ticket = tokens.readReservationToken(reservationToken);
    long expiry = asLong(VERIFY.run(redis, keys(ticket.eventId()),
        List.of(now(), Long.toString(ticket.sequence()), ticket.userId())));
    return expiry == 0 ? Optional.empty() : Optional.of(reservation(ticket, expiry));
  }

  @Override
  public boolean complete(String reservationToken) {
    return endReservation(reservationToken, "completed");
  }

  @Override
  public boolean release(String reservationToken) {
    return endReservation(reservationToken, "released");
  }

  private boolean endReservation(String reservationToken, String action) {
    Ticket ticket = tokens.readReservationToken(reservationToken);
    boolean ended = asLong(END_RESERVATION.run(redis, keys(ticket.eventId()),
        List.of(now(), Long.toString(ticket.sequence()), ticket.userId(), action))) == 1;
    if (LOG.isDebugEnabled()) {
      LOG.debug("wq op={} event={} ended={}", action, ticket.eventId(), ended);
    }
    return ended;
  }

  @Override
  public QueueStats stats(String eventId) {
    List<?> r = statsReply(eventId);
    if (asLong(r.get(0)) == 0) {
      return QueueStats.absent(eventId);
    }
    EventState state = EventState.valueOf(asString(r.get(9)).toUpperCase(Locale.ROOT));
    long opens = asLong(r.get(10));
    return new QueueStats(eventId, true, state, opens == 0 ? null : Instant.ofEpochMilli(opens), asLong(r.get(1)),
        asLong(r.get(2)), asLong(r.get(3)), asLong(r.get(4)), asLong(r.get(5)), asLong(r.get(6)), asLong(r.get(7)),
        asLong(r.get(8)), Double.parseDouble(asString(r.get(11))));
  }

  @Override
  public Optional<EventSettings> settings(String eventId) {
    List<?> r = statsReply(eventId);
    if (asLong(r.get(0)) == 0) {
      return Optional.empty();
    }
    return Optional.of(EventSettings.builder()
        .admissionRate(Double.parseDouble(asString(r.get(12))))
        .burst((int) asLong(r.get(13)))
        .capacity((int) asLong(r.get(14)))
        .reservationTtl(Duration.ofMillis(asLong(r.get(15))))
        .idleTimeout(Duration.ofMillis(asLong(r.get(16))))
        .readyGrace(Duration.ofMillis(asLong(r.get(17))))
        .auditTrail(asLong(r.get(18)) == 1)
        .auditMaxLength((int) asLong(r.get(19)))
        .build());
  }

  private List<?> statsReply(String eventId) {
    Identifiers.requireEventId(eventId);
    return list(STATS.run(redis, keys(eventId), List.of(now())));
  }

  @Override
  public void configure(String eventId, EventSettings settings) {
    Identifiers.requireEventId(eventId);
    if (settings == null) {
      throw new InvalidInputException("settings must not be null");
    }
    List<String> args = new ArrayList<>(9);
    args.add(now());
    args.addAll(settingsArgs(settings));
    CONFIGURE.run(redis, keys(eventId), args);
    LOG.info("wq op=configure event={} settings={}", eventId, settings);
  }

  @Override
  public void openEvent(String eventId) {
    lifecycle(eventId, "open", 0);
  }

  @Override
  public void pauseEvent(String eventId) {
    lifecycle(eventId, "paused", 0);
  }

  @Override
  public void closeEvent(String eventId) {
    lifecycle(eventId, "closed", 0);
  }

  @Override
  public void scheduleOpening(String eventId, Instant opensAt) {
    if (opensAt == null) {
      throw new InvalidInputException("opensAt must not be null");
    }
    lifecycle(eventId, "scheduled", opensAt.toEpochMilli());
  }

  private void lifecycle(String eventId, String target, long opensAt) {
    Identifiers.requireEventId(eventId);
    List<String> args = new ArrayList<>(11);
    args.add(now());
    args.add(target);
    args.add(Long.toString(opensAt));
    args.addAll(defaults);
    if (asLong(LIFECYCLE.run(redis, keys(eventId), args)) == 0) {
      throw new IllegalStateException("event " + eventId + " has people in line; a pre-queue would overtake them");
    }
    LOG.info("wq op=lifecycle event={} state={}", eventId, target);
  }

  @Override
  public boolean purgeEvent(String eventId) {
    Identifiers.requireEventId(eventId);
    long left = asLong(PURGE.run(redis, keys(eventId), List.of(now())));
    if (left < 0) {
      throw new IllegalStateException("event " + eventId + " must be closed before it is purged");
    }
    LOG.info("wq op=purge event={} left={}", eventId, left);
    return left == 0;
  }

  @Override
  public long sweep(String eventId) {
    Identifiers.requireEventId(eventId);
    long evicted = asLong(SWEEP.run(redis, keys(eventId), List.of(now(), Integer.toString(EXPLICIT_SWEEP_BATCH))));
    listener.evicted(eventId, evicted);
    return evicted;
  }

  @Override
  public List<AuditEntry> auditTrail(String eventId, String afterId, int limit) {
    Identifiers.requireEventId(eventId);
    Identifiers.requireAuditId(afterId);
    Identifiers.requireAuditLimit(limit);
    List<?> entries = list(AUDIT.run(redis, keys(eventId), List.of(now(), afterId, Integer.toString(limit))));
    List<AuditEntry> out = new ArrayList<>(entries.size());
    for (Object e : entries) {
      List<?> entry = list(e);
      List<?> fields = list(entry.get(1));
      Map<String, String> f = new HashMap<>();
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        f.put(asString(fields.get(i)), asString(fields.get(i + 1)));
      }
      out.add(new AuditEntry(asString(entry.get(0)), auditAction(f.get("action")), f.getOrDefault("user", ""),
          Long.parseLong(f.getOrDefault("seq", "0")), Instant.ofEpochMilli(Long.parseLong(f.getOrDefault("at", "0")))));
    }
    return out;
  }

  private static AuditAction auditAction(String action) {
    switch (String.valueOf(action)) {
      case "open":
        return AuditAction.OPENED;
      case "paused":
        return AuditAction.PAUSED;
      case "closed":
        return AuditAction.CLOSED;
      case "scheduled":
        return AuditAction.SCHEDULED;
      default:
        return AuditAction.valueOf(action.toUpperCase(Locale.ROOT));
    }
  }


  /** The settings as the scripts take them: rate, burst, capacity, ttl ms, idle ms, grace ms, audit, audit max. */
  private static List<String> settingsArgs(EventSettings s) {
    return List.of(Double.toString(s.admissionRate()), Integer.toString(s.burst()), Integer.toString(s.capacity()),
        Long.toString(s.reservationTtl().toMillis()), Long.toString(s.idleTimeout().toMillis()),
        Long.toString(s.readyGrace().toMillis()), s.auditTrail() ? "1" : "0", Integer.toString(s.auditMaxLength()));
  }

  /**
   * The key prefix in use.
   *
   * @return the prefix that precedes {@code {eventId}} in every key
   */
  public String keyPrefix() {
    return keyPrefix;
  }

  /**
   * The Redis keys that hold an event, all in the event's hash slot. For operators and tests.
   *
   * @param eventId the event
   * @return the keys
   * @throws InvalidInputException when the id is invalid
   */
  public List<String> keysOf(String eventId) {
    return keys(Identifiers.requireEventId(eventId));
  }

  @Override
  public void close() {
    if (closeClient) {
      redis.close();
    }
  }

  private List<String> keys(String eventId) {
    return EventKeys.of(keyPrefix, eventId);
  }

  private List<String> ticketArgs(Ticket ticket) {
    return List.of(now(), ticket.userId(), Long.toString(ticket.sequence()));
  }

  /** The test clock's time, or '' for the scripts to read Redis TIME. */
  private String now() {
    return clock == null ? "" : Long.toString(clock.millis());
  }

  private Reservation reservation(Ticket ticket, long expiresAt) {
    return new Reservation(tokens.reservationToken(ticket), ticket.eventId(), ticket.userId(),
        Instant.ofEpochMilli(expiresAt));
  }

  private static List<?> list(Object reply) {
    if (!(reply instanceof List)) {
      throw new WaitingQueueException("unexpected script reply: " + reply);
    }
    return (List<?>) reply;
  }

  @SuppressWarnings("unchecked")
  private static List<Long> longs(Object reply) {
    List<?> list = list(reply);
    for (Object o : list) {
      if (!(o instanceof Long)) {
        throw new WaitingQueueException("unexpected script reply element: " + o);
      }
    }
    return (List<Long>) list;
  }

  private static long asLong(Object o) {
    if (o instanceof Long) {
      return (Long) o;
    }
    throw new WaitingQueueException("unexpected script reply: " + o);
  }

  private static String asString(Object o) {
    if (o instanceof byte[]) {
      return new String((byte[]) o, java.nio.charset.StandardCharsets.UTF_8);
    }
    return String.valueOf(o);
  }

  /** Builds a {@link RedisWaitingQueue}. */
  public static final class Builder {
    private final UnifiedJedis redis;
    private QueueConfig config;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private boolean closeClient;

    private Builder(UnifiedJedis redis) {
      if (redis == null) {
        throw new IllegalArgumentException("redis client must not be null");
      }
      this.redis = redis;
    }

    /**
     * Sets the signing keys, default event settings and (for tests only) the clock. Required.
     *
     * @param config the configuration
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public Builder config(QueueConfig config) {
      if (config == null) {
        throw new IllegalArgumentException("config must not be null");
      }
      this.config = config;
      return this;
    }

    /**
     * Sets the prefix of every key. Default {@value #DEFAULT_KEY_PREFIX}. Use one per application
     * sharing a Redis, to keep their events apart.
     *
     * @param prefix up to 32 characters of {@code [A-Za-z0-9._:-]}, possibly empty
     * @return this builder
     * @throws IllegalArgumentException when null, too long, or with another character (braces would
     *     break the hash tag)
     */
    public Builder keyPrefix(String prefix) {
      if (prefix == null || prefix.length() > 32 || !prefix.matches("[A-Za-z0-9._:-]*")) {
        throw new IllegalArgumentException(
            "keyPrefix must be up to 32 characters of [A-Za-z0-9._:-], got " + (prefix == null ? "null" : "'" + prefix + "'"));
      }
      this.keyPrefix = prefix;
      return this;
    }

    /**
     * Whether {@link RedisWaitingQueue#close()} also closes the client. Default false: the caller who
     * made the client closes it.
     *
     * @param close true to hand the client's lifetime to the queue
     * @return this builder
     */
    public Builder closeClientOnClose(boolean close) {
      this.closeClient = close;
      return this;
    }

    /**
     * Builds the queue. No Redis call is made; scripts load on first use.
     *
     * @return the queue
     * @throws IllegalStateException when no config was set
     */
    public RedisWaitingQueue build() {
      if (config == null) {
        throw new IllegalStateException("config is required: call config(QueueConfig)");
      }
      Objects.requireNonNull(keyPrefix);
      return new RedisWaitingQueue(this);
    }
  }
}
