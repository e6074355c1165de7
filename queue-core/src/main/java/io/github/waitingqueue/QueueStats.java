package io.github.waitingqueue;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A snapshot of one event, read atomically. Built by name with {@link #builder(String)}.
 *
 * <p>While an event exists, {@code totalJoined = waiting + totalEntered + totalLeft + totalEvicted +
 * totalPurged}.
 *
 * @param eventId the event
 * @param exists whether the event has been created (by a join, {@code configure} or a lifecycle call);
 *     all counts are 0 when not
 * @param state the lifecycle state ({@link EventState#OPEN} for an event that does not exist)
 * @param opensAt the scheduled opening while {@link EventState#SCHEDULED}, else null
 * @param waiting tickets in line now (the pre-queue included)
 * @param waitingByPriority of those, how many wait at each lane priority (see {@link EventSettings#lanes()}),
 *     highest first, only priorities where somebody waits: the general line (and lanes of priority 0) is
 *     priority 0; lanes of equal priority share one order and one count. Unmodifiable
 * @param admitted reservations held now (unexpired, not completed or released)
 * @param totalJoined tickets ever created
 * @param totalEntered admissions ever granted
 * @param totalLeft tickets that left the line by {@code leave}
 * @param totalEvicted tickets evicted: idle waiters, and ready tickets that never came to enter
 * @param totalReleased reservations released before they expired
 * @param totalCompleted reservations completed
 * @param totalPurged waiting tickets removed by a purge in progress
 * @param measuredAdmissionRate admissions per second, a moving average of real admissions (30 s time
 *     constant); 0 until five admissions have been made
 * @param measuredEndRate reservations ending per second (completed, released or expired), measured the same
 *     way; 0 until five have ended. Behind a full capacity, admissions go at this pace, and ETAs count on it
 * @param drawCommitment the SHA-256 of the pre-queue draw's seed, from the moment an opening is scheduled
 *     (before anybody joins the pre-queue); null for an event never scheduled. See {@link PrequeueDraw}
 * @param drawSeed the pre-queue draw's seed, once the pre-queue's order has taken effect (the opening);
 *     null before, and for an event never scheduled
 * @param inventory the event's items for sale ({@link EventSettings#inventory()}), 0 when unlimited
 */
public record QueueStats(String eventId, boolean exists, EventState state, Instant opensAt, long waiting,
    Map<Integer, Long> waitingByPriority, long admitted, long totalJoined, long totalEntered, long totalLeft, long totalEvicted, long totalReleased,
    long totalCompleted, long totalPurged, double measuredAdmissionRate, double measuredEndRate,
    String drawCommitment, String drawSeed, long inventory) {
  /**
   * Validates the components.
   *
   * @throws NullPointerException for a null event id or state
   */
  public QueueStats {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(state, "state");
    waitingByPriority = highestFirst(Objects.requireNonNull(waitingByPriority, "waitingByPriority"));
  }

  private static Map<Integer, Long> highestFirst(Map<Integer, Long> counts) {
    TreeMap<Integer, Long> sorted = new TreeMap<>(Comparator.reverseOrder());
    sorted.putAll(counts);
    return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
  }

  /**
   * The stats of an event that was never created.
   *
   * @param eventId the event
   * @return all zeros, state open
   */
  public static QueueStats absent(String eventId) {
    return builder(eventId).exists(false).build();
  }

  /**
   * A builder of the stats of an existing event; every count starts at 0, the state at OPEN.
   *
   * @param eventId the event
   * @return the builder
   */
  public static Builder builder(String eventId) {
    return new Builder(eventId);
  }

  /**
   * The scheduled opening, when there is one.
   *
   * @return the opening time or empty
   */
  public Optional<Instant> scheduledOpening() {
    return Optional.ofNullable(opensAt);
  }

  /**
   * The commitment to the pre-queue's draw, when an opening was ever scheduled.
   *
   * @return the SHA-256 of the seed, hex, or empty
   */
  public Optional<String> commitment() {
    return Optional.ofNullable(drawCommitment);
  }

  /**
   * The pre-queue's draw seed, once published (at the opening).
   *
   * @return the seed, or empty
   */
  public Optional<String> seed() {
    return Optional.ofNullable(drawSeed);
  }

  /**
   * The items that remain for sale: the inventory minus the completed reservations.
   *
   * @return the count (0 when sold out), or empty when the inventory is unlimited
   */
  public OptionalLong remainingItems() {
    return inventory == 0 ? OptionalLong.empty() : OptionalLong.of(Math.max(0, inventory - totalCompleted));
  }

  /** Builds {@link QueueStats} by name. Not thread-safe. */
  public static final class Builder {
    private final String eventId;
    private boolean exists = true;
    private EventState state = EventState.OPEN;
    private Instant opensAt;
    private long waiting;
    private Map<Integer, Long> waitingByPriority = Map.of();
    private long admitted;
    private long joined;
    private long entered;
    private long left;
    private long evicted;
    private long released;
    private long completed;
    private long purged;
    private double measuredAdmissionRate;
    private double measuredEndRate;
    private String drawCommitment;
    private String drawSeed;
    private long inventory;

    private Builder(String eventId) {
      this.eventId = Objects.requireNonNull(eventId, "eventId");
    }

    /** @param exists whether the event exists (default true) @return this builder */
    public Builder exists(boolean exists) {
      this.exists = exists;
      return this;
    }

    /** @param state the lifecycle state (default OPEN) @return this builder */
    public Builder state(EventState state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    /** @param opensAt the scheduled opening, or null @return this builder */
    public Builder opensAt(Instant opensAt) {
      this.opensAt = opensAt;
      return this;
    }

    /** @param waiting tickets in line @return this builder */
    public Builder waiting(long waiting) {
      this.waiting = waiting;
      return this;
    }

    /** @param admitted reservations held @return this builder */
    public Builder admitted(long admitted) {
      this.admitted = admitted;
      return this;
    }

    /** @param joined tickets ever created @return this builder */
    public Builder totalJoined(long joined) {
      this.joined = joined;
      return this;
    }

    /** @param entered admissions ever granted @return this builder */
    public Builder totalEntered(long entered) {
      this.entered = entered;
      return this;
    }

    /** @param left tickets that left @return this builder */
    public Builder totalLeft(long left) {
      this.left = left;
      return this;
    }

    /** @param evicted tickets evicted @return this builder */
    public Builder totalEvicted(long evicted) {
      this.evicted = evicted;
      return this;
    }

    /** @param released reservations released @return this builder */
    public Builder totalReleased(long released) {
      this.released = released;
      return this;
    }

    /** @param completed reservations completed @return this builder */
    public Builder totalCompleted(long completed) {
      this.completed = completed;
      return this;
    }

    /** @param purged waiting tickets removed by a purge @return this builder */
    public Builder totalPurged(long purged) {
      this.purged = purged;
      return this;
    }

    /** @param rate measured admissions per second @return this builder */
    public Builder measuredAdmissionRate(double rate) {
      this.measuredAdmissionRate = rate;
      return this;
    }

    /** @param rate measured reservations ending per second @return this builder */
    public Builder measuredEndRate(double rate) {
      this.measuredEndRate = rate;
      return this;
    }

    /** @param byPriority tickets waiting at each lane priority where somebody waits @return this builder */
    public Builder waitingByPriority(Map<Integer, Long> byPriority) {
      this.waitingByPriority = Objects.requireNonNull(byPriority, "byPriority");
      return this;
    }

    /** @param commitment the SHA-256 of the draw's seed, or null @return this builder */
    public Builder drawCommitment(String commitment) {
      this.drawCommitment = commitment;
      return this;
    }

    /** @param seed the draw's published seed, or null @return this builder */
    public Builder drawSeed(String seed) {
      this.drawSeed = seed;
      return this;
    }

    /** @param items the inventory, 0 when unlimited @return this builder */
    public Builder inventory(long items) {
      this.inventory = items;
      return this;
    }

    /** @return the stats */
    public QueueStats build() {
      return new QueueStats(eventId, exists, state, opensAt, waiting, waitingByPriority, admitted, joined, entered, left, evicted,
          released, completed, purged, measuredAdmissionRate, measuredEndRate, drawCommitment, drawSeed, inventory);
    }
  }
}
