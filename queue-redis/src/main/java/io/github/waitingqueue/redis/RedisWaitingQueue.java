package io.github.waitingqueue.redis;

import io.github.waitingqueue.AuditAction;
import io.github.waitingqueue.AuditEntry;
import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.EventState;
import io.github.waitingqueue.InvalidInputException;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.SoldOutException;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.internal.CallReports;
import io.github.waitingqueue.internal.Identifiers;
import io.github.waitingqueue.internal.Pacing;
import io.github.waitingqueue.internal.QueueRules;
import io.github.waitingqueue.internal.Ticket;
import io.github.waitingqueue.internal.Tokens;
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
 * The Redis implementation of {@link WaitingQueue}. Each call is one function of a Lua library shipped
 * in this jar, run with one {@code FCALL} round trip (or one {@code EVALSHA} where the server refuses
 * Redis Functions, see {@link ScriptMode}): it updates every structure it touches atomically, so a call
 * takes full effect or none. Order comes from a sequence the script increments, time from Redis
 * {@code TIME}, so all application instances share one clock and one line.
 *
 * <p>Works on any Jedis {@link UnifiedJedis}: {@code RedisClient} (standalone), {@code RedisSentinelClient}
 * and {@code RedisClusterClient}. Every key of an event carries the hash tag {@code {eventId}}, so an
 * event lives in one cluster slot. An event has a fixed set of keys (settings and counters, the line,
 * the reservations, a join-time index, the ready marks of the head of the line and the optional audit
 * stream) and no per-user keys: one sorted set entry per waiting user, whose score also keeps the
 * ticket's last heartbeat.
 *
 * <p>Redis must keep the keys: {@code maxmemory-policy} {@code noeviction} or a {@code volatile-*}
 * policy. {@link Builder#build()} reads the policy of every node and refuses an {@code allkeys-*} one
 * (see {@link Builder#refuseEvictingMemoryPolicy(boolean)}).
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

  private static final Logger LOG = LoggerFactory.getLogger(RedisWaitingQueue.class);

  /** How calls reach Redis. */
  public enum ScriptMode {
    /**
     * Redis Functions ({@code FCALL}), falling back to {@code EVALSHA} scripts for good when the server
     * refuses {@code FCALL} or {@code FUNCTION LOAD} (Redis 6.2, an ACL, a managed service). The default.
     */
    AUTO,
    /** Redis Functions only: a refusal is an error. */
    FUNCTIONS,
    /** {@code EVALSHA} scripts only, for servers where functions must not be loaded. */
    EVAL
  }

  private final UnifiedJedis redis;
  private final ScriptRunner scripts;
  private final Tokens tokens;
  private final List<String> defaults;
  /** The same settings as one argument, "name value name value ...": what every join sends. */
  private final String joinDefaults;
  private final Clock clock;
  private final CallReports reports;
  private final String keyPrefix;
  private final boolean closeClient;
  private final RandomGenerator random;
  private final BackgroundSweeper sweeper;
  private final LineMirror mirror;

  private RedisWaitingQueue(Builder b) {
    this.redis = b.redis;
    this.scripts = new ScriptRunner(b.redis, b.scriptMode);
    this.tokens = new Tokens(b.config.signingKeys());
    this.defaults = Replies.settings(b.config.defaultEventSettings());
    this.joinDefaults = String.join(" ", defaults);
    this.clock = b.config.clock().orElse(null);
    this.reports = new CallReports(b.config.listener(), LOG);
    this.keyPrefix = b.keyPrefix;
    this.closeClient = b.closeClient;
    this.random = b.config.random().orElseGet(SecureRandom::new);
    this.sweeper = b.sweepEvery == null ? null : new BackgroundSweeper(b.sweepEvery, this::sweep);
    this.mirror = b.mirrorStaleness == null ? null
        : new LineMirror(b.mirrorStaleness, this::run, clock, (eventId, evicted) -> reports.swept(eventId, evicted),
            b.mirrorRefreshInBackground);
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
  public JoinResult join(String eventId, String userId, String lane) {
    Identifiers.requireEventId(eventId);
    Identifiers.requireUserId(userId);
    if (lane != null) {
      Identifiers.requireLane("lane", lane);
    }
    Replies.Join r;
    try {
      r = Replies.Join.of(run(Operation.JOIN, eventId, Replies.args(now(), List.of(joinDefaults, lane == null ? "" : lane), userId)));
    } catch (InvalidInputException e) {
      throw new InvalidInputException("event " + eventId + " has no lane " + lane); // join.lua's only WQINPUT
    }
    JoinResult result = !r.outcome().hasTicket()
        ? new JoinResult(r.outcome(), null, r.state(), 0, 0)
        : new JoinResult(r.outcome(), tokens.waitingToken(new Ticket(eventId, userId, r.sequence(), r.joinedSecond(), r.incarnation())),
            r.state(), r.position(), r.eta());
    return reports.joined(eventId, result, r.evicted());
  }

  @Override
  public TicketStatus status(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    TicketStatus mirrored = mirror == null ? null : mirror.status(ticket);
    if (mirrored != null) {
      return reports.status(ticket.eventId(), mirrored, 0);
    }
    Replies.Status r = Replies.Status.of(run(Operation.STATUS, ticket.eventId(), ticketArgs(ticket)));
    TicketStatus status = r.state() == TicketState.NOT_FOUND ? TicketStatus.notFound()
        : new TicketStatus(r.state(), r.position(), r.eta(), r.waited(),
            Pacing.nextPoll(r.state(), r.position(), r.eta(), r.idle(), ticket.sequence()), r.basis());
    return reports.status(ticket.eventId(), status, r.evicted());
  }

  @Override
  public EnterResult enter(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    Replies.Enter r = Replies.Enter.of(run(Operation.ENTER, ticket.eventId(), ticketArgs(ticket)));
    EnterResult result;
    switch (r.outcome()) {
      case ADMITTED:
        result = EnterResult.admitted(reservation(ticket, r.value()));
        break;
      case NOT_READY:
        result = EnterResult.notReady(r.value(), r.eta());
        break;
      case EVENT_CLOSED:
        result = EnterResult.eventClosed();
        break;
      case SOLD_OUT:
        result = EnterResult.soldOut();
        break;
      default:
        result = EnterResult.notFound();
    }
    return reports.entered(ticket.eventId(), result, r.fresh(), r.evicted());
  }

  @Override
  public boolean leave(String waitingToken) {
    Ticket ticket = tokens.readWaitingToken(waitingToken);
    return reports.left(ticket.eventId(), Replies.number(run(Operation.LEAVE, ticket.eventId(), ticketArgs(ticket))) == 1);
  }

  @Override
  public Optional<Reservation> verify(String reservationToken) {
    Ticket ticket = tokens.readReservationToken(reservationToken);
    long expiry = Replies.number(run(Operation.VERIFY, ticket.eventId(),
        Replies.args(now(), List.of(), Long.toString(ticket.sequence()), ticket.userId(), incarnation(ticket))));
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
    long reply = Replies.number(run(Operation.END_RESERVATION, ticket.eventId(),
        Replies.args(now(), List.of(), Long.toString(ticket.sequence()), ticket.userId(), action, incarnation(ticket))));
    if (reply < 0) {
      throw new SoldOutException("event " + ticket.eventId() + " is sold out: no item remains for this reservation");
    }
    return reports.ended(action, ticket.eventId(), reply == 1);
  }

  @Override
  public QueueStats stats(String eventId) {
    return statsReply(eventId).stats(eventId);
  }

  @Override
  public Optional<EventSettings> settings(String eventId) {
    Replies.Stats r = statsReply(eventId);
    return r.exists() ? Optional.of(r.settings()) : Optional.empty();
  }

  private Replies.Stats statsReply(String eventId) {
    Identifiers.requireEventId(eventId);
    return Replies.Stats.of(run(Operation.STATS, eventId, List.of(now())));
  }

  @Override
  public void configure(String eventId, EventSettings settings) {
    Identifiers.requireEventId(eventId);
    if (settings == null) {
      throw new InvalidInputException("settings must not be null");
    }
    run(Operation.CONFIGURE, eventId, Replies.args(now(), Replies.settings(settings)));
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
    lifecycle(eventId, EventState.SCHEDULED,
        Identifiers.requireOpening(opensAt, clock == null ? System.currentTimeMillis() : clock.millis()));
  }

  private void lifecycle(String eventId, EventState target, long opensAt) {
    Identifiers.requireEventId(eventId);
    String seed = "";
    String commitment = "";
    String keys = "";
    if (target == EventState.SCHEDULED) {
      // drawn now, used only if the event is not scheduled already (a scheduled one keeps its draw)
      seed = QueueRules.newDrawSeed(random);
      commitment = QueueRules.drawCommitment(seed);
      keys = java.util.Arrays.stream(QueueRules.drawKeys(seed)).mapToObj(Long::toString)
          .collect(java.util.stream.Collectors.joining(" "));
    }
    run(Operation.LIFECYCLE, eventId, Replies.args(now(), defaults, ScriptLibrary.stateName(target),
        Long.toString(opensAt), seed, commitment, keys));
    reports.lifecycle(eventId, target);
  }

  @Override
  public boolean purgeEvent(String eventId) {
    Identifiers.requireEventId(eventId);
    long left = Replies.number(run(Operation.PURGE, eventId, List.of(now())));
    if (left < 0) {
      throw new IllegalStateException("event " + eventId + " must be closed before it is purged");
    }
    return reports.purged(eventId, left == 0);
  }

  @Override
  public long sweep(String eventId) {
    Identifiers.requireEventId(eventId);
    return reports.swept(eventId, Replies.number(run(Operation.SWEEP, eventId, List.of(now()))));
  }

  @Override
  public List<AuditEntry> auditTrail(String eventId, String afterId, int limit) {
    Identifiers.requireEventId(eventId);
    Identifiers.requireAuditId(afterId);
    Identifiers.requireAuditLimit(limit);
    List<?> entries = Replies.list(run(Operation.AUDIT, eventId, List.of(now(), afterId, Integer.toString(limit))));
    List<AuditEntry> out = new ArrayList<>(entries.size());
    for (Object e : entries) {
      List<?> entry = Replies.list(e);
      List<?> fields = Replies.list(entry.get(1));
      Map<String, String> f = new HashMap<>();
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        f.put(Replies.string(fields.get(i)), Replies.string(fields.get(i + 1)));
      }
      out.add(new AuditEntry(Replies.string(entry.get(0)), auditAction(f.get("action")), f.getOrDefault("user", ""),
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

  /**
   * How many status calls the line mirror answered without calling Redis, since the queue was built; 0
   * without a mirror (see {@link Builder#lineMirror(Duration)}). With a count of all status calls, this
   * tells how much of the polling Redis was spared: a gauge worth exporting.
   *
   * @return the count
   */
  public long mirroredStatusCount() {
    return mirror == null ? 0 : mirror.answered();
  }

  /** Brings every line mirror up to date now; for tests and benchmarks. */
  void refreshMirrors() {
    if (mirror != null) {
      mirror.refreshNow();
    }
  }

  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.close();
    }
    if (mirror != null) {
      mirror.close();
    }
    if (closeClient) {
      redis.close();
    }
  }

  private List<String> keys(String eventId) {
    return EventKeys.of(keyPrefix, eventId);
  }

  private Object run(Operation op, String eventId, List<String> args) {
    if (sweeper != null && op != Operation.SWEEP) {
      sweeper.used(eventId);
    }
    return scripts.run(op, keys(eventId), args);
  }

  private List<String> ticketArgs(Ticket ticket) {
    return List.of(now(), ticket.userId(), Long.toString(ticket.sequence()),
        ticket.joinedSecond() == Ticket.UNKNOWN ? "" : Long.toString(ticket.joinedSecond()),
        incarnation(ticket));
  }

  /** The incarnation a token names, or '' when it names none (formats 1 and 2). */
  private static String incarnation(Ticket ticket) {
    return ticket.incarnation() == Ticket.UNKNOWN ? "" : Long.toString(ticket.incarnation());
  }

  /** The test clock's time, or '' for the scripts to read Redis TIME. */
  private String now() {
    return clock == null ? "" : Long.toString(clock.millis());
  }

  private Reservation reservation(Ticket ticket, long expiresAt) {
    return new Reservation(tokens.reservationToken(ticket), ticket.eventId(), ticket.userId(),
        Instant.ofEpochMilli(expiresAt));
  }

  /** Builds a {@link RedisWaitingQueue}. */
  public static final class Builder {
    private final UnifiedJedis redis;
    private QueueConfig config;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private boolean closeClient;
    private ScriptMode scriptMode = ScriptMode.AUTO;
    private boolean refuseEvictingPolicy = true;
    private Duration sweepEvery;
    private Duration mirrorStaleness;
    private boolean mirrorRefreshInBackground = true;

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
     * Sets how calls reach Redis. Default {@link ScriptMode#AUTO}: Redis Functions, or {@code EVALSHA}
     * scripts where the server refuses them.
     *
     * @param mode the mode
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public Builder scriptMode(ScriptMode mode) {
      if (mode == null) {
        throw new IllegalArgumentException("scriptMode must not be null");
      }
      this.scriptMode = mode;
      return this;
    }

    /**
     * Sweeps, on a daemon thread, every event this queue used in the last 30 minutes, at this interval.
     * Off by default: ordinary calls already sweep their event at most every 250 ms with a batch that
     * grows with the line. Turn it on for events that may go quiet while many abandoned tickets remain,
     * e.g. every 5 seconds. Several instances may all run one.
     *
     * @param interval between sweeps, 100 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException when null or out of range
     */
    public Builder backgroundSweep(Duration interval) {
      if (interval == null || interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("backgroundSweep must be between 100 ms and 1 hour, got " + interval);
      }
      this.sweepEvery = interval;
      return this;
    }

    /**
     * Answers the status of tickets far from the head from an in-process mirror of each event's line, so
     * that those polls cost Redis nothing. Off by default.
     *
     * <p>What you trade: a position so answered is the ticket's exact rank at an instant at most
     * {@code staleness} before the call (not at the call itself), and its ETA and waiting time are those
     * of that instant. What you keep: positions are exact as of that instant, never estimated; tickets
     * within reach of admission (the allowance plus the positions it may gain within the bound, plus 10),
     * and every ticket whose state the mirror cannot know for sure (ready, paused, closed, not found, a
     * scheduled event, a token issued before this version) are answered by Redis as without the mirror;
     * {@code enter} always asks Redis. Polls answered by the mirror count as heartbeats: they are sent to
     * Redis in one call per event every refresh (a quarter of the bound, 50 to 250 ms), so a crash loses at
     * most that much of them, far less than an idle timeout.
     *
     * <p>Each mirror costs about 5 to 10 bytes of heap per waiting ticket, is built in chunks the first time
     * an event is polled (answering from Redis meanwhile), follows the event with one Redis call per refresh
     * whatever the number of people waiting, rebuilds whenever it cannot be sure it is current (the event
     * purged and created again, a restart or failover of Redis, a change feed it fell behind), and is
     * dropped after 60 seconds without a status call for its event. A bound of zero catches up on every
     * status call (one round trip, as without the mirror): for tests that hold the mirror to exactness.
     *
     * @param staleness how old the instant of an answer may be: 0 to 10 seconds; 1 second is a good start
     * @return this builder
     * @throws IllegalArgumentException when null, negative or above 10 seconds
     */
    public Builder lineMirror(Duration staleness) {
      if (staleness == null || staleness.isNegative() || staleness.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException("lineMirror staleness must be between 0 and 10 seconds, got " + staleness);
      }
      this.mirrorStaleness = staleness;
      return this;
    }

    /** Tests only: no daemon thread refreshes the line mirrors; {@link #refreshMirrors()} does. */
    Builder refreshMirrorsByHand() {
      this.mirrorRefreshInBackground = false;
      return this;
    }

    /**
     * What {@link #build()} does when a Redis node has a {@code maxmemory-policy} that may evict the
     * queue's keys ({@code allkeys-*}): true (the default) throws, false logs an error once per node and
     * goes on. Nodes where {@code CONFIG GET} is refused or that cannot be reached are logged and passed.
     *
     * @param refuse whether an evicting policy stops the build
     * @return this builder
     */
    public Builder refuseEvictingMemoryPolicy(boolean refuse) {
      this.refuseEvictingPolicy = refuse;
      return this;
    }

    /**
     * Builds the queue. Reads {@code maxmemory-policy} on every node; the function library loads on
     * first use, once per node.
     *
     * @return the queue
     * @throws IllegalStateException when no config was set, or a node may evict the queue's keys (unless
     *     {@link #refuseEvictingMemoryPolicy(boolean)} is false)
     */
    public RedisWaitingQueue build() {
      if (config == null) {
        throw new IllegalStateException("config is required: call config(QueueConfig)");
      }
      Objects.requireNonNull(keyPrefix);
      MemoryPolicyCheck.check(redis, refuseEvictingPolicy);
      return new RedisWaitingQueue(this);
    }
  }
}
