package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.QueueUnavailableException;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.history.Call;
import io.github.waitingqueue.history.History;
import io.github.waitingqueue.history.Workload;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background traffic for fault tests: random join / status / enter / leave / release / stats calls by
 * several threads on one event, recorded in a {@link History}. Only QueueUnavailableException is
 * tolerated from a call; any other exception fails the run.
 */
final class FaultTraffic {
  private static final Logger LOG = LoggerFactory.getLogger(FaultTraffic.class);

  private final CompletableFuture<History> run;
  private final long started = System.nanoTime();

  private FaultTraffic(CompletableFuture<History> run) {
    this.run = run;
  }

  static FaultTraffic start(WaitingQueue queue, String event, int threads, Duration duration) {
    Workload workload = Workload.timed(threads, 60, duration, event.hashCode());
    return new FaultTraffic(CompletableFuture.supplyAsync(() -> {
      try {
        return workload.run(queue, event);
      } catch (Exception e) {
        throw new IllegalStateException("traffic failed with an exception other than QueueUnavailableException", e);
      }
    }));
  }

  History await() throws Exception {
    return run.get(5, TimeUnit.MINUTES);
  }

  /**
   * What the history saw: call counts, failures, and the longest stretch during which no call succeeded.
   *
   * @param history the finished history
   * @param fault a name for the log
   * @return a one-line summary
   */
  String summary(History history, String fault) {
    List<Call> calls = history.calls();
    long failed = history.failures();
    long lastOk = started;
    long longestGap = 0;
    for (Call c : calls.stream().sorted(java.util.Comparator.comparingLong(Call::end)).toList()) {
      if (c.ok()) {
        longestGap = Math.max(longestGap, c.end() - lastOk);
        lastOk = c.end();
      }
    }
    String text = String.format("%s: %d calls, %d failed with QueueUnavailableException, longest time without a "
        + "successful call %d ms", fault, calls.size(), failed, longestGap / 1_000_000);
    LOG.info(text);
    return text;
  }

  /**
   * Every failure is a QueueUnavailableException that names the operation and keeps Jedis's cause.
   *
   * @param history the finished history
   */
  static void assertFailuresAreClear(History history) {
    for (Call c : history.calls()) {
      if (!c.ok()) {
        assertThat(c.failure()).isInstanceOf(QueueUnavailableException.class);
        assertThat(c.failure().getMessage()).as("message of %s", c).containsPattern("\\.lua");
        assertThat(c.failure().getCause()).as("cause of %s", c).isNotNull();
      }
    }
  }

  /**
   * No operation was left half done: every ticket ever created is in exactly one place (in line, admitted
   * or left) and every admission still holds its slot unless released or completed. A script that stopped
   * between its writes would break one of these sums.
   *
   * @param queue the queue
   * @param event the event
   */
  static void assertConsistent(WaitingQueue queue, String event) {
    QueueStats s = statsOnceServing(queue, event);
    assertThat(s.waiting() + s.totalEntered() + s.totalLeft() + s.totalEvicted() + s.totalPurged())
        .as("waiting + entered + left + evicted == joined in %s", s).isEqualTo(s.totalJoined());
    assertThat(s.admitted()).as("admitted == entered - released - completed in %s", s)
        .isEqualTo(s.totalEntered() - s.totalReleased() - s.totalCompleted());
  }

  /**
   * The event's stats, asked again (at most three times) while the first calls after a fault meet pooled
   * connections the fault broke: a user's next poll does the same.
   */
  static QueueStats statsOnceServing(WaitingQueue queue, String event) {
    for (int attempt = 1; ; attempt++) {
      try {
        return queue.stats(event);
      } catch (io.github.waitingqueue.QueueUnavailableException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /**
   * Counts the acknowledged effects the store no longer shows: tickets whose JOINED reply was received and
   * that no enter or leave call (whatever its outcome) touched, yet are not in line at the end; and
   * admissions whose reservation was returned and never released, yet do not verify.
   *
   * @param queue the queue, quiescent
   * @param history the finished history
   * @return how many acknowledged effects were lost
   */
  static long lostAcknowledgedEffects(WaitingQueue queue, History history) {
    java.util.Set<String> touched = new java.util.HashSet<>();
    java.util.Set<String> releaseTried = new java.util.HashSet<>();
    for (Call c : history.calls()) {
      if (c.kind() == Call.Kind.ENTER || c.kind() == Call.Kind.LEAVE) {
        touched.add(c.argument());
      } else if (c.kind() == Call.Kind.RELEASE) {
        releaseTried.add(c.argument());
      }
    }
    long lost = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Call c : history.calls()) {
      if (c.ok() && c.kind() == Call.Kind.JOIN) {
        JoinResult r = (JoinResult) c.result();
        if (!touched.contains(r.waitingToken()) && seen.add(r.waitingToken())
            && !queue.status(r.waitingToken()).inLine()) {
          LOG.warn("acknowledged ticket lost: {}", c);
          lost++;
        }
      } else if (c.ok() && c.kind() == Call.Kind.ENTER) {
        io.github.waitingqueue.EnterResult r = (io.github.waitingqueue.EnterResult) c.result();
        if (r.admitted()) {
          String reservation = r.reservation().orElseThrow().token();
          if (!releaseTried.contains(reservation) && seen.add(reservation) && queue.verify(reservation).isEmpty()) {
            LOG.warn("acknowledged admission lost: {}", c);
            lost++;
          }
        }
      }
    }
    return lost;
  }

  /**
   * Calls until one succeeds, and says how long that took.
   *
   * @param queue the queue
   * @param event the event
   * @param timeout how long to try
   * @return milliseconds until the first success
   */
  static long millisUntilServing(WaitingQueue queue, String event, Duration timeout) {
    long begin = System.nanoTime();
    long deadline = begin + timeout.toNanos();
    while (true) {
      try {
        JoinResult r = queue.join(event, "probe");
        assertThat(queue.status(r.waitingToken()).inLine()).isTrue();
        assertThat(queue.leave(r.waitingToken())).isTrue();
        return (System.nanoTime() - begin) / 1_000_000;
      } catch (QueueUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the queue did not serve again within " + timeout, e);
        }
        TestCluster.sleep(20);
      }
    }
  }
}
