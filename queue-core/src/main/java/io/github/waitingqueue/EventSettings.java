package io.github.waitingqueue;

import java.time.Duration;
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
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>range</th></tr>
 *   <tr><td>{@link #admissionRate()}</td><td>10 per second</td><td>0.001 to 1,000,000</td></tr>
 *   <tr><td>{@link #burst()}</td><td>10</td><td>1 to 1,000,000</td></tr>
 *   <tr><td>{@link #capacity()}</td><td>{@link #UNLIMITED}</td><td>0 (unlimited) to 1,000,000,000</td></tr>
 *   <tr><td>{@link #reservationTtl()}</td><td>5 minutes</td><td>1 second to 7 days, whole milliseconds</td></tr>
 * </table>
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

  private static final EventSettings DEFAULTS = new Builder().build();

  private final double admissionRate;
  private final int burst;
  private final int capacity;
  private final Duration reservationTtl;

  private EventSettings(Builder b) {
    this.admissionRate = b.admissionRate;
    this.burst = b.burst;
    this.capacity = b.capacity;
    this.reservationTtl = b.reservationTtl;
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
        .reservationTtl(reservationTtl);
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
        && reservationTtl.equals(that.reservationTtl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(admissionRate, burst, capacity, reservationTtl);
  }

  @Override
  public String toString() {
    return "EventSettings{admissionRate=" + admissionRate + ", burst=" + burst
        + ", capacity=" + (capacity == UNLIMITED ? "unlimited" : Integer.toString(capacity))
        + ", reservationTtl=" + reservationTtl + '}';
  }

  /** Builds {@link EventSettings}; each setter validates its value at once. */
  public static final class Builder {
    private double admissionRate = 10;
    private int burst = 10;
    private int capacity = UNLIMITED;
    private Duration reservationTtl = Duration.ofMinutes(5);

    private Builder() {}

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
     * Builds the settings.
     *
     * @return immutable settings
     */
    public EventSettings build() {
      return new EventSettings(this);
    }
  }
}
