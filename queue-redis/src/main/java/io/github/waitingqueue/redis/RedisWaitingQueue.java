package io.github.waitingqueue.redis;

import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.Identifiers;
import io.github.waitingqueue.InvalidInputException;
import io.github.waitingqueue.JoinOutcome;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.Ticket;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.Tokens;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.WaitingQueueException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis implementation of {@link WaitingQueue}. Each call is one Lua script, shipped in this jar,
 * run with one {@code EVALSHA} round trip: it updates every structure it touches atomically, so a call
 * takes full effect or none. Order comes from a sequence the script increments, time from Redis
 * {@code TIME}, so all application instances share one clock and one line.
 *
 * <p>Works on any Jedis {@link UnifiedJedis}: {@code RedisClient} (standalone), {@code RedisSentinelClient}
 * and {@code RedisClusterClient}. Every key of an event carries the hash tag {@code {eventId}}, so an
 * event lives in one cluster slot. Per event there are four keys and no per-user keys: one sorted set
 * entry per waiting user.
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

  private final UnifiedJedis redis;
  private final Tokens tokens;
  private final EventSettings defaults;
  private final Clock clock;
  private final String keyPrefix;
  private final boolean closeClient;

  private RedisWaitingQueue(Builder b) {
    this.redis = b.redis;
    this.tokens = new Tokens(b.config.signingKeys());
    this.defaults = b.config.defaultEventSettings();
    this.clock = b.config.clock().orElse(null);
    this.keyPrefix = b.keyPrefix;
    this.closeClient = b.closeClient;
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
    List<Long> r = longs(JOIN.run(redis, keys(eventId), List.of(now(), userId,
        Double.toString(defaults.admissionRate()), Integer.toString(defaults.burst()),
        Integer.toString(defaults.capacity()), Long.toString(defaults.reservationTtl().toMillis()))));
    JoinOutcome outcome = r.get(0) == 1 ? JoinOutcome.JOINED : JoinOutcome.ALREADY_WAITING;
    String token = tokens.waitingToken(new Ticket(eventId, userId, r.get(1)));
    return new JoinResult(outcome, token, r.get(2), r.get(3), r.get(4) == 1);
  }

  @Override
  public TicketStatus status(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    List<Long> r = longs(STATUS.run(redis, keys(ticket.eventId()), ticketArgs(ticket)));
    int state = r.get(0).intValue();
    if (state == 0) {
      return TicketStatus.notFound();
    }
    return new TicketStatus(state == 2 ? TicketState.READY : TicketState.WAITING, r.get(1), r.get(2), r.get(3));
  }

  @Override
  public EnterResult enter(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    List<Long> r = longs(ENTER.run(redis, keys(ticket.eventId()), ticketArgs(ticket)));
    switch (r.get(0).intValue()) {
      case 2:
        return EnterResult.admitted(reservation(ticket, r.get(1)));
      case 1:
        return EnterResult.notReady(r.get(1), r.get(2));
      default:
        return EnterResult.notFound();
    }
  }

  @Override
  public boolean leave(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    return asLong(LEAVE.run(redis, keys(ticket.eventId()), ticketArgs(ticket))) == 1;
  }

  @Override
  public Optional<Reservation> verify(String reservationToken) {
    Ticket ticket = tokens.readReservationToken(reservationToken);
    long expiry = asLong(VERIFY.run(redis, keys(ticket.eventId()),
        List.of(now(), Long.toString(ticket.sequence()))));
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

  private boolean endReservation(String reservationToken, String counter) {
    Ticket ticket = tokens.readReservationToken(reservationToken);
    return asLong(END_RESERVATION.run(redis, keys(ticket.eventId()),
        List.of(now(), Long.toString(ticket.sequence()), counter))) == 1;
  }

  @Override
  public QueueStats stats(String eventId) {
    List<?> r = statsReply(eventId);
    return new QueueStats(eventId, asLong(r.get(0)) == 1, asLong(r.get(1)), asLong(r.get(2)), asLong(r.get(3)),
        asLong(r.get(4)), asLong(r.get(5)), asLong(r.get(6)), asLong(r.get(7)));
  }

  @Override
  public Optional<EventSettings> settings(String eventId) {
    List<?> r = statsReply(eventId);
    if (asLong(r.get(0)) == 0) {
      return Optional.empty();
    }
    return Optional.of(EventSettings.builder()
        .admissionRate(Double.parseDouble(asString(r.get(8))))
        .burst((int) asLong(r.get(9)))
        .capacity((int) asLong(r.get(10)))
        .reservationTtl(Duration.ofMillis(asLong(r.get(11))))
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
    CONFIGURE.run(redis, keys(eventId), List.of(now(), Double.toString(settings.admissionRate()),
        Integer.toString(settings.burst()), Integer.toString(settings.capacity()),
        Long.toString(settings.reservationTtl().toMillis())));
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
