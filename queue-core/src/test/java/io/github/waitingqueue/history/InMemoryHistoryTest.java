package io.github.waitingqueue.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.InMemoryWaitingQueue;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.TestClock;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.WaitingQueue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Concurrency histories of the in-memory queue, and the checkers' own checks. */
class InMemoryHistoryTest {

  private static WaitingQueue inMemory(QueueConfig config) {
    return InMemoryWaitingQueue.create(config);
  }

  @Test
  void smallConcurrentHistoriesAreLinearizable() throws Exception {
    long calls = HistoryScenarios.smallHistoriesAreLinearizable(InMemoryHistoryTest::inMemory, "lin",
        HistoryScenarios.smallHistories());
    assertThat(calls).isGreaterThan(1_000);
  }

  @Test
  void aStressHistoryKeepsEveryInvariant() throws Exception {
    try (WaitingQueue queue = inMemory(QueueConfig.builder().signingKeys(HistoryScenarios.KEYS).build())) {
      HistoryScenarios.stressHistoryKeepsEveryInvariant(queue, "stress", HistoryScenarios.stressDuration());
    }
  }

  @Test
  void aStressHistoryWithLanesKeepsPositionsExactAcrossLanes() throws Exception {
    try (WaitingQueue queue = inMemory(QueueConfig.builder().signingKeys(HistoryScenarios.KEYS).build())) {
      HistoryScenarios.laneStressHistoryKeepsEveryInvariant(List.of(queue), queue, "lanes",
          HistoryScenarios.stressDuration(), java.time.Duration.ZERO);
    }
  }

  @Test
  void theModelAgreesWithTheInMemoryQueueOnRandomSequentialRuns() {
    TestClock clock = new TestClock();
    try (WaitingQueue queue = inMemory(QueueConfig.builder().signingKeys(HistoryScenarios.KEYS).clock(clock).build())) {
      for (int run = 0; run < 40; run++) {
        String event = "model-" + run;
        queue.configure(event, HistoryScenarios.SMALL);
        QueueModel model = new QueueModel(event, HistoryScenarios.SMALL, clock.millis(), HistoryScenarios.KEYS);
        QueueModel.State state = model.initial();
        Random random = new Random(run);
        List<String> tokens = new ArrayList<>();
        List<String> reservations = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
          Call call = randomCall(queue, event, random, tokens, reservations, i);
          QueueModel.Outcome expected = model.apply(state, call);
          assertThat(call.result()).as("call %d of run %d: %s", i, run, call).isEqualTo(expected.result());
          state = expected.state();
        }
      }
    }
  }

  private static Call randomCall(WaitingQueue q, String event, Random random, List<String> tokens,
      List<String> reservations, int id) {
    int dice = tokens.isEmpty() ? 0 : random.nextInt(5);
    switch (dice) {
      case 0: {
        String user = "u" + random.nextInt(5);
        JoinResult r = q.join(event, user);
        tokens.add(r.waitingToken());
        return new Call(id, 0, Call.Kind.JOIN, user, id, id, r, null);
      }
      case 1: {
        String t = tokens.get(random.nextInt(tokens.size()));
        return new Call(id, 0, Call.Kind.STATUS, t, id, id, q.status(t), null);
      }
      case 2: {
        String t = tokens.get(random.nextInt(tokens.size()));
        EnterResult r = q.enter(t);
        r.reservation().ifPresent(res -> reservations.add(res.token()));
        return new Call(id, 0, Call.Kind.ENTER, t, id, id, r, null);
      }
      case 3: {
        String t = tokens.get(random.nextInt(tokens.size()));
        return new Call(id, 0, Call.Kind.LEAVE, t, id, id, q.leave(t), null);
      }
      default: {
        if (reservations.isEmpty()) {
          String t = tokens.get(0);
          return new Call(id, 0, Call.Kind.STATUS, t, id, id, q.status(t), null);
        }
        String r = reservations.get(random.nextInt(reservations.size()));
        return new Call(id, 0, Call.Kind.RELEASE, r, id, id, q.release(r), null);
      }
    }
  }

  @Test
  void theLinearizabilityCheckerRejectsAPositionThatIgnoresAnEarlierJoin() {
    TestClock clock = new TestClock();
    try (WaitingQueue queue = inMemory(QueueConfig.builder().signingKeys(HistoryScenarios.KEYS).clock(clock).build())) {
      queue.configure("forged", HistoryScenarios.SMALL);
      JoinResult a = queue.join("forged", "a");
      JoinResult b = queue.join("forged", "b");
      // b's join started after a's ended, yet it claims to be first in line
      JoinResult bFirst = new JoinResult(b.outcome(), b.waitingToken(), io.github.waitingqueue.TicketState.READY, 1, 0);
      List<Call> calls = List.of(
          new Call(0, 0, Call.Kind.JOIN, "a", 0, 10, a, null),
          new Call(1, 1, Call.Kind.JOIN, "b", 20, 30, bFirst, null));
      QueueModel model = new QueueModel("forged", HistoryScenarios.SMALL, clock.millis(), HistoryScenarios.KEYS);
      assertThatThrownBy(() -> HistoryScenarios.assertLinearizable(calls, model))
          .isInstanceOf(AssertionError.class).hasMessageContaining("not linearizable");
      // when b really joined first and the calls overlap, a may report position 2 although it started first
      queue.configure("overlap", HistoryScenarios.SMALL);
      JoinResult bFirstReally = queue.join("overlap", "b");
      JoinResult aSecond = queue.join("overlap", "a");
      HistoryScenarios.assertLinearizable(List.of(
          new Call(0, 0, Call.Kind.JOIN, "a", 0, 25, aSecond, null),
          new Call(1, 1, Call.Kind.JOIN, "b", 20, 30, bFirstReally, null)),
          new QueueModel("overlap", HistoryScenarios.SMALL, clock.millis(), HistoryScenarios.KEYS));
    }
  }

  @Test
  void theLinearizabilityCheckerLetsACallOfUnknownOutcomeTakeEffectOrNot() {
    TestClock clock = new TestClock();
    try (WaitingQueue queue = inMemory(QueueConfig.builder().signingKeys(HistoryScenarios.KEYS).clock(clock).build())) {
      queue.configure("unknown", HistoryScenarios.SMALL);
      JoinResult a = queue.join("unknown", "a");
      QueueModel model = new QueueModel("unknown", HistoryScenarios.SMALL, clock.millis(), HistoryScenarios.KEYS);
      RuntimeException lost = new io.github.waitingqueue.QueueUnavailableException("reply lost", null);
      TicketStatus first = queue.status(a.waitingToken());
      // a leave of unknown outcome, then a status that still finds the ticket: the leave never happened
      HistoryScenarios.assertLinearizable(List.of(
          new Call(0, 0, Call.Kind.JOIN, "a", 0, 10, a, null),
          new Call(1, 0, Call.Kind.LEAVE, a.waitingToken(), 20, 30, null, lost),
          new Call(2, 0, Call.Kind.STATUS, a.waitingToken(), 40, 50, first, null)), model);
      // the same leave, then a status that does not find it: the leave happened
      HistoryScenarios.assertLinearizable(List.of(
          new Call(0, 0, Call.Kind.JOIN, "a", 0, 10, a, null),
          new Call(1, 0, Call.Kind.LEAVE, a.waitingToken(), 20, 30, null, lost),
          new Call(2, 0, Call.Kind.STATUS, a.waitingToken(), 40, 50, TicketStatus.notFound(), null)), model);
    }
  }

  @Test
  void bothCheckersCatchAQueueThatReportsStalePositions() throws Exception {
    TestClock clock = new TestClock();
    QueueConfig fixed = QueueConfig.builder().signingKeys(HistoryScenarios.KEYS).clock(clock).build();
    assertThatThrownBy(() -> HistoryScenarios.smallHistoriesAreLinearizable(c -> staleStatus(inMemory(c)), "stale", 30))
        .isInstanceOf(AssertionError.class).hasMessageContaining("not linearizable");

    try (WaitingQueue queue = staleStatus(inMemory(QueueConfig.builder().signingKeys(HistoryScenarios.KEYS).build()))) {
      assertThatThrownBy(() -> HistoryScenarios.stressHistoryKeepsEveryInvariant(queue, "stale-stress",
          java.time.Duration.ofMillis(500)))
          .isInstanceOf(AssertionError.class).hasMessageContaining("is not the rank at any instant");
    }
    assertThat(fixed).isNotNull();
  }

  /** A broken queue: status answers from a cache filled on the first status of each token. */
  private static WaitingQueue staleStatus(WaitingQueue delegate) {
    Map<String, TicketStatus> cache = new ConcurrentHashMap<>();
    return (WaitingQueue) Proxy.newProxyInstance(WaitingQueue.class.getClassLoader(),
        new Class<?>[] {WaitingQueue.class}, (proxy, method, args) -> {
          if (method.getName().equals("status")) {
            return cache.computeIfAbsent((String) args[0], delegate::status);
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
