package io.github.waitingqueue.examples.server;

import io.github.waitingqueue.QueueListener;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.WaitingQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The queue's Micrometer meters: a {@link QueueListener} that counts outcomes, a timer per operation, and
 * gauges of the people waiting and admitted per event. Tags are low-cardinality only: the event id (the
 * first {@code maxEvents} events seen; later ones share the tag {@code event="other"}), the refusal
 * reason and the operation name; never a user id or a token.
 *
 * <table>
 *   <caption>Meters (Prometheus names)</caption>
 *   <tr><th>meter</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code waitingqueue_joins_total}</td><td>event</td><td>new tickets (a repeated join is not counted)</td></tr>
 *   <tr><td>{@code waitingqueue_admissions_total}</td><td>event</td><td>tickets admitted</td></tr>
 *   <tr><td>{@code waitingqueue_refusals_total}</td><td>event, reason</td><td>joins and enters refused:
 *       NOT_READY, EVENT_CLOSED, NOT_FOUND</td></tr>
 *   <tr><td>{@code waitingqueue_leaves_total}</td><td>event</td><td>tickets that left the line</td></tr>
 *   <tr><td>{@code waitingqueue_evictions_total}</td><td>event</td><td>tickets evicted (idle, or ready too long)</td></tr>
 *   <tr><td>{@code waitingqueue_operation_seconds}</td><td>operation</td><td>time of each library call</td></tr>
 *   <tr><td>{@code waitingqueue_waiting}</td><td>event</td><td>people in line, read from stats at most once a second</td></tr>
 *   <tr><td>{@code waitingqueue_admitted}</td><td>event</td><td>reservations holding a slot, likewise</td></tr>
 * </table>
 */
public final class QueueMetrics implements QueueListener {
  /** Tag of every event beyond the first {@code maxEvents}: keeps the number of series bounded. */
  static final String OTHER_EVENTS = "other";
  private static final long STATS_MAX_AGE_NANOS = 1_000_000_000L;

  private final MeterRegistry registry;
  private final Supplier<WaitingQueue> queue;
  private final int maxEvents;
  private final Map<String, EventMeters> events = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  /**
   * Meters on a registry.
   *
   * @param registry where the meters go
   * @param queue the queue the gauges read stats from; asked for only when a gauge is read, because the
   *     queue itself is built with this listener
   * @param maxEvents how many events get their own tag
   */
  public QueueMetrics(MeterRegistry registry, Supplier<WaitingQueue> queue, int maxEvents) {
    this.registry = registry;
    this.queue = queue;
    this.maxEvents = maxEvents;
  }

  /**
   * Runs a library call and records its time under {@code waitingqueue.operation{operation=...}}, failed
   * calls included.
   *
   * @param operation the operation's name, such as {@code status}
   * @param call the call
   * @param <T> what it returns
   * @return what it returned
   */
  public <T> T time(String operation, Supplier<T> call) {
    Timer timer = timers.computeIfAbsent(operation, op -> Timer.builder("waitingqueue.operation")
        .description("Time of one waiting-queue library call").tag("operation", op).register(registry));
    long start = System.nanoTime();
    try {
      return call.get();
    } finally {
      timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void joined(String eventId, long position) {
    meters(eventId).joins.increment();
  }

  @Override
  public void entered(String eventId) {
    meters(eventId).admissions.increment();
  }

  @Override
  public void refused(String eventId, String reason) {
    EventMeters m = meters(eventId);
    Counter.builder("waitingqueue.refusals").description("Joins and enters refused, by reason")
        .tag("event", m.tag).tag("reason", reason.toUpperCase(Locale.ROOT)).register(registry).increment();
  }

  @Override
  public void left(String eventId) {
    meters(eventId).leaves.increment();
  }

  @Override
  public void evicted(String eventId, long count) {
    meters(eventId).evictions.increment(count);
  }

  private EventMeters meters(String eventId) {
    EventMeters known = events.get(eventId);
    if (known != null) {
      return known;
    }
    String tag = events.size() < maxEvents ? eventId : OTHER_EVENTS;
    // Events past the limit all share the "other" meters; they are not remembered one by one.
    return tag.equals(OTHER_EVENTS) ? events.computeIfAbsent(OTHER_EVENTS, t -> new EventMeters(t, false))
        : events.computeIfAbsent(eventId, t -> new EventMeters(t, true));
  }

  /** One event's counters, and its gauges when it has its own tag. */
  private final class EventMeters {
    final String tag;
    final Counter joins;
    final Counter admissions;
    final Counter leaves;
    final Counter evictions;
    private volatile QueueStats stats;
    private volatile long statsReadAt;

    EventMeters(String tag, boolean gauges) {
      this.tag = tag;
      joins = counter("waitingqueue.joins", "New tickets");
      admissions = counter("waitingqueue.admissions", "Tickets admitted");
      leaves = counter("waitingqueue.leaves", "Tickets that left the line");
      evictions = counter("waitingqueue.evictions", "Tickets evicted: idle, or ready and never entered");
      if (gauges) {
        Gauge.builder("waitingqueue.waiting", this, m -> m.stats().map(s -> (double) s.waiting()).orElse(Double.NaN))
            .description("People in line (stats read at most once a second)").tag("event", tag).register(registry);
        Gauge.builder("waitingqueue.admitted", this, m -> m.stats().map(s -> (double) s.admitted()).orElse(Double.NaN))
            .description("Reservations holding a slot (stats read at most once a second)").tag("event", tag)
            .register(registry);
      }
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name).description(description).tag("event", tag).register(registry);
    }

    /** The event's stats, read again only when the last read is over a second old; empty when Redis fails. */
    synchronized Optional<QueueStats> stats() {
      long now = System.nanoTime();
      if (stats == null || now - statsReadAt > STATS_MAX_AGE_NANOS) {
        try {
          stats = queue.get().stats(tag);
        } catch (RuntimeException e) {
          return Optional.empty();
        }
        statsReadAt = now;
      }
      return Optional.of(stats);
    }
  }
}
