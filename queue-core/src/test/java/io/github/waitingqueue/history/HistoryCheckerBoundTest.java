package io.github.waitingqueue.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.EtaBasis;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.JoinOutcome;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.internal.Ticket;
import io.github.waitingqueue.internal.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The history checker's staleness bound has teeth: a status that shows a ticket which left 10 ns before
 * the call is only accepted when the bound reaches back before that leave.
 */
class HistoryCheckerBoundTest {
  private static final EventSettings SETTINGS = EventSettings.builder().burst(1).admissionRate(1)
      .idleTimeout(Duration.ZERO).readyGrace(Duration.ZERO).build();
  private final Tokens tokens = new Tokens(HistoryScenarios.KEYS);
  private final String first = tokens.waitingToken(new Ticket("e", "a", 1, 0, 0));
  private final String second = tokens.waitingToken(new Ticket("e", "b", 2, 0, 0));
  private final String third = tokens.waitingToken(new Ticket("e", "c", 3, 0, 0));

  /** a, b and c join; b leaves in [100, 110]; c's status in [120, 130] says position 3, as before the leave. */
  private List<Call> history() {
    return List.of(
        new Call(0, 0, Call.Kind.JOIN, "a", 0, 10, new JoinResult(JoinOutcome.JOINED, first, TicketState.READY, 1, 0), null),
        new Call(1, 0, Call.Kind.JOIN, "b", 20, 30, new JoinResult(JoinOutcome.JOINED, second, TicketState.WAITING, 2, 1), null),
        new Call(2, 0, Call.Kind.JOIN, "c", 40, 50, new JoinResult(JoinOutcome.JOINED, third, TicketState.WAITING, 3, 2), null),
        new Call(3, 0, Call.Kind.LEAVE, second, 100, 110, Boolean.TRUE, null),
        new Call(4, 1, Call.Kind.STATUS, third, 120, 130,
            new TicketStatus(TicketState.WAITING, 3, 2, 0, Duration.ofSeconds(2), EtaBasis.CONFIGURED_RATE), null));
  }

  private HistoryChecker.Final end() {
    return new HistoryChecker.Final(Map.of(first, new TicketStatus(TicketState.READY, 1, 0, 0, Duration.ofSeconds(1), EtaBasis.NONE),
        second, TicketStatus.notFound(), third, new TicketStatus(TicketState.WAITING, 2, 1, 0, Duration.ofSeconds(2), EtaBasis.CONFIGURED_RATE)),
        QueueStats.builder("e").waiting(2).totalJoined(3).totalLeft(1).build());
  }

  @Test
  void aStatusThatShowsALineOlderThanTheCallIsAViolationWithoutABound() {
    assertThat(HistoryChecker.check(history(), SETTINGS, false, end(), Duration.ZERO))
        .anyMatch(m -> m.startsWith("position 3 is not the rank"));
  }

  @Test
  void aStatusThatShowsALineOlderThanTheCallIsAViolationWhenTheBoundDoesNotReachBackToIt() {
    assertThat(HistoryChecker.check(history(), SETTINGS, false, end(), Duration.ofNanos(5)))
        .anyMatch(m -> m.startsWith("position 3 is not the rank"));
  }

  @Test
  void aStatusThatShowsTheLineWithinTheBoundIsAccepted() {
    assertThat(HistoryChecker.check(history(), SETTINGS, false, end(), Duration.ofNanos(25))).isEmpty();
  }

  @Test
  void underFaultsATicketWhoseJoinFailedMayStandAhead() {
    List<Call> calls = List.of(
        new Call(0, 0, Call.Kind.JOIN, "a", 0, 10, null, new io.github.waitingqueue.QueueUnavailableException("down", null)),
        new Call(1, 0, Call.Kind.JOIN, "b", 20, 30, new JoinResult(JoinOutcome.JOINED, second, TicketState.WAITING, 2, 1), null),
        new Call(2, 1, Call.Kind.STATUS, second, 40, 50,
            new TicketStatus(TicketState.WAITING, 2, 1, 0, Duration.ofSeconds(2), EtaBasis.CONFIGURED_RATE), null),
        new Call(3, 1, Call.Kind.STATUS, second, 60, 70,
            new TicketStatus(TicketState.WAITING, 3, 1, 0, Duration.ofSeconds(2), EtaBasis.CONFIGURED_RATE), null));

    assertThat(HistoryChecker.checkPositionsUnderFaults(calls, SETTINGS, Duration.ZERO))
        .singleElement().asString().startsWith("position 3 is not the rank");
  }

  /**
   * a joins the general line; b joins lane "fan" in [40, 50], ahead of a; a's status in [20, 30] may only say
   * 1, one in [60, 70] only 2, and one in [45, 55], while b's join may not have taken effect yet, either.
   */
  private static List<String> laneHistory(long statusStart, long position) {
    EventSettings lanes = SETTINGS.toBuilder().lane("fan", 2).build();
    Tokens tokens = new Tokens(HistoryScenarios.KEYS);
    String a = tokens.waitingToken(new Ticket("e", "a", 1, 0, 0));
    String b = tokens.waitingToken(new Ticket("e", "b", 2, 0, 0));
    List<Call> calls = List.of(
        new Call(0, 0, Call.Kind.JOIN, "a", 0, 10, new JoinResult(JoinOutcome.JOINED, a, TicketState.READY, 1, 0), null),
        new Call(1, 0, Call.Kind.JOIN, Call.joinArgument("b", "fan"), 40, 50,
            new JoinResult(JoinOutcome.JOINED, b, TicketState.READY, 1, 0), null),
        new Call(2, 1, Call.Kind.STATUS, a, statusStart, statusStart + 10,
            new TicketStatus(TicketState.WAITING, position, 1, 0, Duration.ofSeconds(1), EtaBasis.CONFIGURED_RATE), null));
    HistoryChecker.Final end = new HistoryChecker.Final(Map.of(
        a, new TicketStatus(TicketState.WAITING, 2, 1, 0, Duration.ofSeconds(1), EtaBasis.CONFIGURED_RATE),
        b, new TicketStatus(TicketState.READY, 1, 0, 0, Duration.ofSeconds(1), EtaBasis.NONE)),
        QueueStats.builder("e").waiting(2).totalJoined(2).build());
    return HistoryChecker.check(calls, lanes, false, end, Duration.ZERO);
  }

  @Test
  void aTicketOfALaneAheadCountsFromItsJoinOn() {
    assertThat(laneHistory(20, 1)).isEmpty();
    assertThat(laneHistory(20, 2)).anyMatch(m -> m.startsWith("position 2 is not the rank"));
    assertThat(laneHistory(60, 2)).isEmpty();
    assertThat(laneHistory(60, 1)).anyMatch(m -> m.startsWith("position 1 is not the rank"));
    assertThat(laneHistory(45, 1)).isEmpty();
    assertThat(laneHistory(45, 2)).isEmpty();
  }
}
