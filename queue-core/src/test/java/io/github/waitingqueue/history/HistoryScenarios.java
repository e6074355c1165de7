package io.github.waitingqueue.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.TestClock;
import io.github.waitingqueue.WaitingQueue;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The concurrency-history scenarios, written once and run for every implementation (the in-memory
 * queue here, the Redis queue in queue-redis). Durations: {@code -Dhistories.seconds=N} runs the stress
 * history for N seconds (default 3), {@code -Dhistories.small=N} checks N small histories for
 * linearizability (default 150).
 */
public final class HistoryScenarios {
  /** The keys every scenario signs with. */
  public static final SigningKeys KEYS = SigningKeys.ofText("hist", "history-scenario-secret-of-32-bytes-or-more");
  /** Settings of the small histories: a bucket of 3, two reservations at most, nothing refills. */
  public static final EventSettings SMALL = EventSettings.builder().burst(3).capacity(2).admissionRate(1)
      .reservationTtl(Duration.ofMinutes(1)).idleTimeout(Duration.ZERO).readyGrace(Duration.ZERO).build();
  /**
   * Settings of the stress history: 100 admissions a second, bursts of 5, 15 reservations at most. No
   * eviction of idle or late waiters: the threads pick tickets at random, so some are never polled, and
   * an eviction is not a call the history could record.
   */
  public static final EventSettings STRESS = EventSettings.builder().burst(5).capacity(15).admissionRate(100)
      .reservationTtl(Duration.ofMinutes(30)).idleTimeout(Duration.ZERO).readyGrace(Duration.ZERO).build();

  private static final Logger LOG = LoggerFactory.getLogger(HistoryScenarios.class);

  private HistoryScenarios() {}

  /**
   * How long the stress history runs: {@code -Dhistories.seconds}, default 3.
   *
   * @return the duration
   */
  public static Duration stressDuration() {
    return Duration.ofSeconds(Long.getLong("histories.seconds", 3));
  }

  /**
   * How many small histories are checked: {@code -Dhistories.small}, default 150.
   *
   * @return the count
   */
  public static int smallHistories() {
    return Integer.getInteger("histories.small", 150);
  }

  /**
   * Runs small concurrent histories, each on a fresh event under a clock that stands still, and checks
   * each for linearizability against {@link QueueModel}.
   *
   * @param factory builds the queue under test from a config
   * @param eventPrefix a prefix for this run's event ids
   * @param histories how many
   * @return the number of calls checked
   * @throws Exception when a worker fails unexpectedly
   */
  public static long smallHistoriesAreLinearizable(Function<QueueConfig, WaitingQueue> factory, String eventPrefix,
      int histories) throws Exception {
    TestClock clock = new TestClock();
    try (WaitingQueue queue = factory.apply(QueueConfig.builder().signingKeys(KEYS).clock(clock).build())) {
      for (int i = 0; i < histories; i++) {
        queue.configure(eventPrefix + "-" + i, SMALL);
      }
      return check(queue, clock, eventPrefix, histories, 6, new long[1]);
    }
  }

  /**
   * As {@link #smallHistoriesAreLinearizable(Function, String, int)}, for runs with faults: calls that
   * failed with QueueUnavailableException are checked as of unknown outcome (they may have taken effect
   * at any moment after they started, or never), and counted.
   *
   * @param factory builds the queue under test from a config
   * @param eventPrefix a prefix for this run's event ids
   * @param histories how many
   * @param startFaults called once every event is configured, before the first history
   * @param failures where the number of failed calls is added
   * @return the number of calls checked
   * @throws Exception when a worker fails unexpectedly
   */
  public static long smallHistoriesAreLinearizable(Function<QueueConfig, WaitingQueue> factory, String eventPrefix,
      int histories, Runnable startFaults, long[] failures) throws Exception {
    TestClock clock = new TestClock();
    try (WaitingQueue queue = factory.apply(QueueConfig.builder().signingKeys(KEYS).clock(clock).build())) {
      for (int i = 0; i < histories; i++) {
        queue.configure(eventPrefix + "-" + i, SMALL);
      }
      startFaults.run();
      // shorter histories: calls of unknown outcome widen the search
      return check(queue, clock, eventPrefix, histories, 4, failures);
    }
  }

  private static long check(WaitingQueue queue, TestClock clock, String eventPrefix, int histories,
      int callsPerThread, long[] failures) throws Exception {
    long calls = 0;
    int inconclusive = 0;
    for (int i = 0; i < histories; i++) {
      String event = eventPrefix + "-" + i;
      History history = Workload.small(3 + i % 2, callsPerThread, i).run(queue, event);
      List<Call> recorded = history.calls();
      calls += recorded.size();
      failures[0] += history.failures();
      try {
        assertLinearizable(recorded, new QueueModel(event, SMALL, clock.millis(), KEYS));
      } catch (IllegalStateException tooWide) {
        // On a loaded machine a fault can leave most calls of a history with an unknown outcome, and the
        // search then outgrows its budget: counted and bounded below, never a pass by default.
        inconclusive++;
      }
    }
    if (inconclusive > histories / 4) {
      throw new AssertionError(inconclusive + " of " + histories
          + " histories had too many calls of unknown outcome to be checked");
    }
    return calls;
  }

  /**
   * Checks one history for linearizability, failing with the history when it is not.
   *
   * @param calls the history
   * @param model the sequential model
   */
  public static void assertLinearizable(List<Call> calls, QueueModel model) {
    LinearizabilityChecker.Result result = new LinearizabilityChecker<>(model, 5_000_000).check(calls);
    if (!result.linearizable()) {
      StringBuilder text = new StringBuilder("history is not linearizable; longest linearizable prefix "
          + result.order() + "\n");
      calls.forEach(c -> text.append("  ").append(c).append('\n'));
      throw new AssertionError(text.toString());
    }
  }

  /**
   * Runs the stress history on one event and checks every invariant of {@link HistoryChecker}.
   *
   * @param queue the queue under test, on its real clock
   * @param event a fresh event id
   * @param duration how long
   * @return what was observed, for the log
   * @throws Exception when a worker fails unexpectedly
   */
  public static String stressHistoryKeepsEveryInvariant(WaitingQueue queue, String event, Duration duration)
      throws Exception {
    queue.configure(event, STRESS);
    long begin = System.nanoTime();
    History history = Workload.timed(8, 150, duration, 7).run(queue, event);
    List<Call> calls = history.calls();
    HistoryChecker.Final end = HistoryChecker.observe(queue, event, calls);
    List<String> violations = HistoryChecker.check(calls, STRESS, true, end);
    String summary = String.format("%d calls in %.1f s (%s), %d tickets, %d admitted, %d left, %d released, "
            + "%d still waiting", calls.size(), (System.nanoTime() - begin) / 1e9, kinds(calls),
        end.stats().totalJoined(), end.stats().totalEntered(), end.stats().totalLeft(), end.stats().totalReleased(),
        end.stats().waiting());
    LOG.info("stress history on {}: {}", queue.getClass().getSimpleName(), summary);
    assertThat(violations).as("invariant violations in a history of " + summary).isEmpty();
    assertThat(end.stats().totalEntered()).as("admissions happened").isGreaterThan(STRESS.burst());
    return summary;
  }

  /**
   * The stress history through several queue objects on one event whose status answers may be as old as
   * a bound (line mirrors): every invariant of {@link HistoryChecker}, with status positions held to
   * [call start - bound, call end]. More users than the plain stress history, so the line is long enough
   * for answers far from the head.
   *
   * @param queues the queue objects under test, on their real clocks
   * @param observer a queue on the same store whose answers are not stale, for the final observation
   * @param event a fresh event id
   * @param duration how long
   * @param staleness the bound of the status answers
   * @return what was observed, for the log
   * @throws Exception when a worker fails unexpectedly
   */
  public static String staleStatusStressHistoryKeepsEveryInvariant(List<WaitingQueue> queues, WaitingQueue observer,
      String event, Duration duration, Duration staleness) throws Exception {
    return checkedStressHistory(queues, observer, event, STRESS, duration, staleness);
  }

  /** {@link #STRESS} with lanes fanclub (priority 2) and presale (1) ahead of the general line. */
  public static final EventSettings LANES = STRESS.toBuilder().lane("fanclub", 2).lane("presale", 1).build();

  /**
   * As {@link #staleStatusStressHistoryKeepsEveryInvariant}, with half the joins to the lanes of
   * {@link #LANES}: positions must be exact across lanes (every ticket of a higher lane ahead, FIFO within one).
   *
   * @param queues the queue objects the threads call, on one store
   * @param observer a queue without a mirror, for the final observation
   * @param event a fresh event id
   * @param duration how long to run
   * @param staleness how old a status answer may be (0 without a mirror)
   * @return a summary of the history
   * @throws Exception when the workload fails
   */
  public static String laneStressHistoryKeepsEveryInvariant(List<WaitingQueue> queues, WaitingQueue observer,
      String event, Duration duration, Duration staleness) throws Exception {
    return checkedStressHistory(queues, observer, event, LANES, duration, staleness);
  }

  private static String checkedStressHistory(List<WaitingQueue> queues, WaitingQueue observer,
      String event, EventSettings settings, Duration duration, Duration staleness) throws Exception {
    observer.configure(event, settings);
    History history = new Workload(12, 800, 0, duration, true, 11).run(queues, event, settings.lanes());
    List<Call> calls = history.calls();
    HistoryChecker.Final end = HistoryChecker.observe(observer, event, calls);
    List<String> violations = HistoryChecker.check(calls, settings, true, end, staleness);
    String summary = String.format("%d calls through %d queue objects (%s), %d tickets, %d admitted, %d still waiting",
        calls.size(), queues.size(), kinds(calls), end.stats().totalJoined(), end.stats().totalEntered(),
        end.stats().waiting());
    LOG.info("stress history{}: {}", settings.lanes().isEmpty() ? "" : " with lanes", summary);
    assertThat(violations).as("invariant violations in a history of " + summary).isEmpty();
    return summary;
  }

  private static String kinds(List<Call> calls) {
    StringBuilder s = new StringBuilder();
    for (Call.Kind k : Call.Kind.values()) {
      s.append(k.name().toLowerCase()).append('=').append(calls.stream().filter(c -> c.kind() == k).count()).append(' ');
    }
    return s.toString().trim();
  }
}
