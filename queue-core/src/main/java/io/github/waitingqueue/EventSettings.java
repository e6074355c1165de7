package io.github.waitingqueue;

import io.github.waitingqueue.internal.Identifiers;
import io.github.waitingqueue.internal.QueueRules;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The admission settings of one event: how fast people are let in, how many at once, and how long
 * an admission holds. Immutable; build with {@link #builder()} or derive with {@link #toBuilder()}.
 *
 * <p>Admission is governed by two limits, and a ticket may enter when its position is within both:
 * <ul>
 *   <li>a <b>rate bucket</b> of {@link #burst()} tokens, refilled at {@link #admissionRate()} tokens per
 *       second from the server's clock; each admission takes one token;</li>
 *   <li>the <b>free capacity</b>: {@link #capacity()} minus the reservations currently held (a
 *       reservation holds its slot until it is released, completed or expires after
 *       {@link #reservationTtl()}). A capacity of {@link #UNLIMITED} means no such limit.</li>
 * </ul>
 *
 * <p>Abandoned tickets are evicted so that they neither inflate positions nor block the head of the
 * line: a waiter whose status has not been read for longer than {@link #idleTimeout()} (status calls
 * are the heartbeat), and a ticket that was within the allowance for {@link #readyGrace()} without
 * coming to enter. The audit trail ({@link #auditTrail()}) records every join, admission, leave,
 * eviction, release, completion, expiry and lifecycle change in a capped Redis Stream.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>range</th></tr>
 *   <tr><td>{@link #admissionRate()}</td><td>10 per second</td><td>0.001 to 1,000,000</td></tr>
 *   <tr><td>{@link #burst()}</td><td>10</td><td>1 to 1,000,000</td></tr>
 *   <tr><td>{@link #capacity()}</td><td>{@link #UNLIMITED}</td><td>0 (unlimited) to 1,000,000,000</td></tr>
 *   <tr><td>{@link #reservationTtl()}</td><td>5 minutes</td><td>1 second to 7 days, whole milliseconds</td></tr>
 *   <tr><td>{@link #idleTimeout()}</td><td>3 minutes</td><td>0 (never evict) or 2 seconds to 1 day, whole milliseconds</td></tr>
 *   <tr><td>{@link #readyGrace()}</td><td>1 minute</td><td>0 (never skip) or 1 second to 1 day, whole milliseconds</td></tr>
 *   <tr><td>{@link #auditTrail()}</td><td>off</td><td>on or off</td></tr>
 *   <tr><td>{@link #auditMaxLength()}</td><td>100,000 entries</td><td>100 to 10,000,000</td></tr>
 *   <tr><td>{@link #inventory()}</td><td>{@link #UNLIMITED}</td><td>0 (unlimited) to 1,000,000,000 items</td></tr>
 *   <tr><td>{@link #perUserLimit()}</td><td>{@link PerUserLimit#NONE}</td><td>any</td></tr>
 *   <tr><td>{@link #lanes()}</td><td>none</td><td>up to 16 lanes, priorities 0 to 7</td></tr>
 * </table>
 *
 * <p>A sale with an {@link #inventory()} ends itself: each {@code complete} consumes one item, and the
 * completion of the last one makes the event {@link EventState#SOLD_OUT} in the same call, so waiters stop
 * waiting for what is gone and nothing is ever oversold. The {@link #perUserLimit()} keeps a user who was
 * let in from queueing again while holding a reservation, or from buying twice.
 *
 * <p><b>Lanes</b> ({@link #lanes()}) put presale tickets ahead of the general line: every ticket of a lane
 * of higher priority stands ahead of every ticket of a lane of lower priority, and within a lane the order
 * is FIFO (with the pre-queue's random order per lane before a scheduled opening). A join without a lane
 * goes to the general line, priority 0. Which user may join which lane is the application's decision.
 */
public final class EventSettings {
  /** The {@link #capacity()} value that means "no limit on concurrently admitted users". */
  public static final int UNLIMITED = 0;

  static final double MIN_RATE = 0.001;
  static final double MAX_RATE = 1_000_000;
  static final int MAX_BURST = 1_000_000;
  static final int MAX_CAPACITY = 1_000_000_000;
  static final Duration MIN_TTL = Duration.ofSeconds(1);
  static final Duration MAX_TTL = Duration.ofDays(7);
  static final Duration MIN_IDLE = Duration.ofSeconds(2);
  static final Duration MAX_IDLE = Duration.ofDays(1);
  static final int MIN_AUDIT = 100;
  static final int MAX_AUDIT = 10_000_000;
  static final int MAX_INVENTORY = 1_000_000_000;
  /** The most lanes an event may have. */
  public static final int MAX_LANES = 16;

  private static final EventSettings DEFAULTS = new Builder().build();

  private final double admissionRate;
  private final int burst;
  private final int capacity;
  private final Duration reservationTtl;
  private final Duration idleTimeout;
  private final Duration readyGrace;
  private final boolean auditTrail;
  private final int auditMaxLength;
  private final int inventory;
  private final PerUserLimit perUserLimit;
  private final Map<String, Integer> lanes;

  private EventSettings(Builder b) {
    this.admissionRate = b.admissionRate;
    this.burst = b.burst;
    this.capacity = b.capacity;
    this.reservationTtl = b.reservationTtl;
    this.idleTimeout = b.idleTimeout;
    this.readyGrace = b.readyGrace;
    this.auditTrail = b.auditTrail;
    this.auditMaxLength = b.auditMaxLength;
    this.inventory = b.inventory;
    this.perUserLimit = b.perUserLimit;
    Map<String, Integer> sorted = new LinkedHashMap<>();
    b.lanes.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    this.lanes = Collections.unmodifiableMap(sorted);
  }

  /**
   * The default settings, as listed in the class description.
   *
   * @return the defaults
   */
  public static EventSettings defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these settings.
   *
   * @return a new builder holding these values
   */
  public Builder toBuilder() {
    return new Builder()
        .admissionRate(admissionRate)
        .burst(burst)
        .capacity(capacity)
        .reservationTtl(reservationTtl)
        .idleTimeout(idleTimeout)
        .readyGrace(readyGrace)
        .auditTrail(auditTrail)
        .auditMaxLength(auditMaxLength)
        .inventory(inventory)
        .perUserLimit(perUserLimit)
        .lanes(lanes);
  }

  /**
   * The event's lanes: name to priority, highest priority first (then by name). A ticket that joins a lane
   * stands behind every ticket of a lane of higher priority and ahead of every ticket of a lane of lower
   * priority; the general line (a join without a lane) has priority 0, the lowest. Lanes of equal priority
   * share one FIFO order (those of priority 0 the general line's). Empty by default.
   *
   * @return an unmodifiable map, empty when the event has no lanes
   */
  public Map<String, Integer> lanes() {
    return lanes;
  }

  /**
   * The items for sale: each completed reservation consumes one, and the completion of the last makes the
   * event {@link EventState#SOLD_OUT}. Counts every completion of the event, also those made before it was
   * set. {@link #UNLIMITED} (0) for no limit.
   *
   * @return the items, or 0 when unlimited
   */
  public int inventory() {
    return inventory;
  }

  /**
   * Whether the sale limits {@link #inventory()}.
   *
   * @return {@code inventory() != UNLIMITED}
   */
  public boolean hasInventory() {
    return inventory != UNLIMITED;
  }

  /**
   * How many places one user may have in the event.
   *
   * @return the limit
   */
  public PerUserLimit perUserLimit() {
    return perUserLimit;
  }

  /**
   * Admissions per second that the rate bucket refills.
   *
   * @return tokens per second, positive
   */
  public double admissionRate() {
    return admissionRate;
  }

  /**
   * Size of the rate bucket: how many people can be admitted at once after a quiet spell. A new event
   * starts with a full bucket, so the head of the line is admitted at once.
   *
   * @return at least 1
   */
  public int burst() {
    return burst;
  }

  /**
   * Maximum number of reservations held at the same time, or {@link #UNLIMITED}.
   *
   * @return 0 for unlimited, else the limit
   */
  public int capacity() {
    return capacity;
  }

  /**
   * Whether a capacity limit is set.
   *
   * @return {@code capacity() != UNLIMITED}
   */
  public boolean hasCapacityLimit() {
    return capacity != UNLIMITED;
  }

  /**
   * How long a reservation holds its capacity slot unless completed or released first.
   *
   * @return a positive whole number of milliseconds
   */
  public Duration reservationTtl() {
    return reservationTtl;
  }

  /**
   * How long a waiter may go without reading its status before it is evicted. Eviction happens
   * between one and one and a half times this after the last status read (heartbeats are tracked in
   * windows of half the timeout), during the sweeps that ordinary calls make or {@code sweep}.
   *
   * @return the timeout, or {@link Duration#ZERO} when idle waiters are never evicted
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * How long a ticket may stay within the allowance without entering before it is skipped (evicted),
   * so that nobody who left the page blocks the head of the line.
   *
   * @return the grace, or {@link Duration#ZERO} when ready tickets are never skipped
   */
  public Duration readyGrace() {
    return readyGrace;
  }

  /**
   * Whether every outcome is appended to the event's audit trail, in the same atomic call.
   *
   * @return true when the audit trail is on
   */
  public boolean auditTrail() {
    return auditTrail;
  }

  /**
   * How many entries the audit trail keeps (Redis trims approximately, so a few more may remain).
   *
   * @return the cap
   */
  public int auditMaxLength() {
    return auditMaxLength;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EventSettings)) {
      return false;
    }
    EventSettings that = (EventSettings) o;
    return Double.compare(admissionRate, that.admissionRate) == 0
        && burst == that.burst
        && capacity == that.capacity
        && reservationTtl.equals(that.reservationTtl)
        && idleTimeout.equals(that.idleTimeout)
        && readyGrace.equals(that.readyGrace)
        && auditTrail == that.auditTrail
        && auditMaxLength == that.auditMaxLength
        && inventory == that.inventory
        && perUserLimit == that.perUserLimit
        && lanes.equals(that.lanes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(admissionRate, burst, capacity, reservationTtl, idleTimeout, readyGrace, auditTrail,
        auditMaxLength, inventory, perUserLimit, lanes);
  }

  @Override
  public String toString() {
    return "EventSettings{admissionRate=" + admissionRate + ", burst=" + burst
        + ", capacity=" + (capacity == UNLIMITED ? "unlimited" : Integer.toString(capacity))
        + ", reservationTtl=" + reservationTtl + ", idleTimeout=" + idleTimeout + ", readyGrace=" + readyGrace
        + ", auditTrail=" + auditTrail + ", auditMaxLength=" + auditMaxLength
        + ", inventory=" + (inventory == UNLIMITED ? "unlimited" : Integer.toString(inventory))
        + ", perUserLimit=" + perUserLimit + (lanes.isEmpty() ? "" : ", lanes=" + lanes) + '}';
  }

  /** Builds {@link EventSettings}; each setter validates its value at once. */
  public static final class Builder {
    private double admissionRate = 10;
    private int burst = 10;
    private int capacity = UNLIMITED;
    private Duration reservationTtl = Duration.ofMinutes(5);
    private Duration idleTimeout = Duration.ofMinutes(3);
    private Duration readyGrace = Duration.ofMinutes(1);
    private boolean auditTrail;
    private int auditMaxLength = 100_000;
    private int inventory = UNLIMITED;
    private PerUserLimit perUserLimit = PerUserLimit.NONE;
    private final Map<String, Integer> lanes = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds a lane, or sets the priority of one already added. Lanes are changed at run time with
     * {@code configure}: a changed priority places the lane's later joiners, and those waiting keep their
     * place; a removed lane takes no more joins, and those waiting in it keep their place.
     *
     * @param name 1 to 32 characters of {@code [A-Za-z0-9._-]}, starting with a letter or a digit
     * @param priority 0 to 7: higher stands ahead; the general line is 0, so a lane of priority 0 shares its
     *     FIFO order
     * @return this builder
     * @throws IllegalArgumentException when the name is invalid, the priority out of range, or the event
     *     would have more than 16 lanes
     */
    public Builder lane(String name, int priority) {
      try {
        Identifiers.requireLane("lane name", name);
      } catch (InvalidInputException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      if (priority < 0 || priority > QueueRules.MAX_LANE_PRIORITY) {
        throw new IllegalArgumentException("lane priority must be between 0 and " + QueueRules.MAX_LANE_PRIORITY
            + ", got " + priority + " for lane " + name);
      }
      if (!lanes.containsKey(name) && lanes.size() >= MAX_LANES) {
        throw new IllegalArgumentException("an event has at most " + MAX_LANES + " lanes");
      }
      lanes.put(name, priority);
      return this;
    }

    /**
     * Replaces every lane with these. Default: none.
     *
     * @param namesToPriorities lane names to priorities, as {@link #lane} takes them (empty for no lanes)
     * @return this builder
     * @throws IllegalArgumentException when null or when {@link #lane} refuses an entry
     */
    public Builder lanes(Map<String, Integer> namesToPriorities) {
      if (namesToPriorities == null) {
        throw new IllegalArgumentException("lanes must not be null (an empty map for none)");
      }
      Map<String, Integer> before = new LinkedHashMap<>(lanes);
      lanes.clear();
      try {
        namesToPriorities.forEach((name, priority) -> {
          if (priority == null) {
            throw new IllegalArgumentException("lane priority must not be null for lane " + name);
          }
          lane(name, priority);
        });
      } catch (IllegalArgumentException e) {
        lanes.clear();
        lanes.putAll(before); // a refused setting changes nothing
        throw e;
      }
      return this;
    }

    /**
     * Sets the items for sale. Default {@link #UNLIMITED}.
     *
     * @param items 0 (unlimited) to 1,000,000,000
     * @return this builder
     * @throws IllegalArgumentException when negative or too large
     */
    public Builder inventory(int items) {
      if (items < 0 || items > MAX_INVENTORY) {
        throw new IllegalArgumentException("inventory must be 0 (unlimited) or up to " + MAX_INVENTORY + ", got " + items);
      }
      this.inventory = items;
      return this;
    }

    /**
     * Sets how many places one user may have. Default {@link PerUserLimit#NONE}. Applies to admissions and
     * purchases made while it is set.
     *
     * @param limit the limit
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public Builder perUserLimit(PerUserLimit limit) {
      if (limit == null) {
        throw new IllegalArgumentException("perUserLimit must not be null");
      }
      this.perUserLimit = limit;
      return this;
    }

    /**
     * Sets the admissions per second. Default 10.
     *
     * @param perSecond from 0.001 to 1,000,000
     * @return this builder
     * @throws IllegalArgumentException when out of range or not finite
     */
    public Builder admissionRate(double perSecond) {
      if (!(perSecond >= MIN_RATE && perSecond <= MAX_RATE)) {
        throw new IllegalArgumentException(
            "admissionRate must be between " + MIN_RATE + " and " + MAX_RATE + " per second, got " + perSecond);
      }
      this.admissionRate = perSecond;
      return this;
    }

    /**
     * Sets the size of the rate bucket. Default 10.
     *
     * @param tokens from 1 to 1,000,000
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder burst(int tokens) {
      if (tokens < 1 || tokens > MAX_BURST) {
        throw new IllegalArgumentException("burst must be between 1 and " + MAX_BURST + ", got " + tokens);
      }
      this.burst = tokens;
      return this;
    }

    /**
     * Sets the maximum of concurrently held reservations. Default {@link #UNLIMITED}.
     *
     * @param maxAdmitted 0 ({@link #UNLIMITED}) or a limit up to 1,000,000,000
     * @return this builder
     * @throws IllegalArgumentException when negative or too large
     */
    public Builder capacity(int maxAdmitted) {
      if (maxAdmitted < 0 || maxAdmitted > MAX_CAPACITY) {
        throw new IllegalArgumentException(
            "capacity must be 0 (unlimited) or up to " + MAX_CAPACITY + ", got " + maxAdmitted);
      }
      this.capacity = maxAdmitted;
      return this;
    }

    /**
     * Removes the capacity limit (the default).
     *
     * @return this builder
     */
    public Builder unlimitedCapacity() {
      this.capacity = UNLIMITED;
      return this;
    }

    /**
     * Sets how long a reservation lasts. Default 5 minutes.
     *
     * @param ttl from 1 second to 7 days, in whole milliseconds
     * @return this builder
     * @throws IllegalArgumentException when null, out of range or finer than a millisecond
     */
    public Builder reservationTtl(Duration ttl) {
      if (ttl == null) {
        throw new IllegalArgumentException("reservationTtl must not be null");
      }
      if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
        throw new IllegalArgumentException("reservationTtl must be between 1 second and 7 days, got " + ttl);
      }
      if (ttl.getNano() % 1_000_000 != 0) {
        throw new IllegalArgumentException("reservationTtl must be whole milliseconds, got " + ttl);
      }
      this.reservationTtl = ttl;
      return this;
    }

    /**
     * Sets how long a waiter may go without a status read before eviction. Default 3 minutes, which
     * outlasts the once-a-minute timers of background browser tabs.
     *
     * @param timeout {@link Duration#ZERO} to never evict, or 2 seconds to 1 day in whole milliseconds
     * @return this builder
     * @throws IllegalArgumentException when null or out of range
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = optionalDuration("idleTimeout", timeout, MIN_IDLE);
      return this;
    }

    /**
     * Sets how long a ready ticket may wait to enter before it is skipped. Default 1 minute.
     *
     * @param grace {@link Duration#ZERO} to never skip, or 1 second to 1 day in whole milliseconds
     * @return this builder
     * @throws IllegalArgumentException when null or out of range
     */
    public Builder readyGrace(Duration grace) {
      this.readyGrace = optionalDuration("readyGrace", grace, Duration.ofSeconds(1));
      return this;
    }

    /**
     * Turns the audit trail on or off. Default off.
     *
     * @param on true to record every outcome
     * @return this builder
     */
    public Builder auditTrail(boolean on) {
      this.auditTrail = on;
      return this;
    }

    /**
     * Sets how many entries the audit trail keeps. Default 100,000.
     *
     * @param entries 100 to 10,000,000
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder auditMaxLength(int entries) {
      if (entries < MIN_AUDIT || entries > MAX_AUDIT) {
        throw new IllegalArgumentException(
            "auditMaxLength must be between " + MIN_AUDIT + " and " + MAX_AUDIT + ", got " + entries);
      }
      this.auditMaxLength = entries;
      return this;
    }

    private static Duration optionalDuration(String name, Duration d, Duration min) {
      if (d == null) {
        throw new IllegalArgumentException(name + " must not be null");
      }
      if (d.isZero()) {
        return d;
      }
      if (d.compareTo(min) < 0 || d.compareTo(MAX_IDLE) > 0 || d.getNano() % 1_000_000 != 0) {
        throw new IllegalArgumentException(name + " must be 0 or between " + min.toSeconds()
            + " seconds and 1 day in whole milliseconds, got " + d);
      }
      return d;
    }

    /**
     * Builds the settings.
     *
     * @return immutable settings
     */
    public EventSettings build() {
      return new EventSettings(this);
    }
  }
}
