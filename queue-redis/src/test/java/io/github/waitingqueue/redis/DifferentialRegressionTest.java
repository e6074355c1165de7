package io.github.waitingqueue.redis;

import static io.github.waitingqueue.redis.Op.advance;
import static io.github.waitingqueue.redis.Op.audit;
import static io.github.waitingqueue.redis.Op.close;
import static io.github.waitingqueue.redis.Op.complete;
import static io.github.waitingqueue.redis.Op.configure;
import static io.github.waitingqueue.redis.Op.enter;
import static io.github.waitingqueue.redis.Op.join;
import static io.github.waitingqueue.redis.Op.leave;
import static io.github.waitingqueue.redis.Op.open;
import static io.github.waitingqueue.redis.Op.pause;
import static io.github.waitingqueue.redis.Op.purge;
import static io.github.waitingqueue.redis.Op.release;
import static io.github.waitingqueue.redis.Op.schedule;
import static io.github.waitingqueue.redis.Op.settings;
import static io.github.waitingqueue.redis.Op.stats;
import static io.github.waitingqueue.redis.Op.status;
import static io.github.waitingqueue.redis.Op.sweep;
import static io.github.waitingqueue.redis.Op.verify;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.AuditEntry;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.redis.Twin.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * Differences {@link DifferentialTest} found between the in-memory and the Redis queue, each shrunk to a
 * short sequence and kept here, named for the behaviour, so that it stays fixed once fixed. Each test
 * replays its steps on both implementations side by side and expects every answer alike.
 */
@ExtendWith(RedisServerExtension.class)
class DifferentialRegressionTest {
  private final UnifiedJedis client;

  DifferentialRegressionTest(UnifiedJedis client) {
    this.client = client;
  }

  /** Milliseconds, as the steps {@link DifferentialTest} prints write durations. */
  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private void replay(Scenario scenario, Op... steps) {
    Optional<Twin.Mismatch> differs = Twin.replay(client, scenario, List.of(steps));

    assertThat(differs).as("where the in-memory and the Redis queue answered apart").isEmpty();
  }

  /**
   * The measured rate is the same double on both sides after a decay: four admissions, 3.127 s, a fifth.
   * It was not while each decayed with its own {@code exp}: Java's {@code Math.exp} and the C library's
   * {@code exp} that Redis's Lua calls round about 1 argument in 400 apart (now both use
   * {@code QueueRules.decay}).
   */
  @Test
  void theMeasuredRateIsTheSameDoubleOnBothSides() {
    replay(new Scenario(4L, EventSettings.builder().admissionRate(10.0).burst(10).build(), 871, 1),
        join(0, 1),
        join(0, 2),
        join(0, 3),
        join(0, 4),
        join(0, 5),
        enter(0, 1, 0),
        enter(0, 2, 0),
        enter(0, 3, 0),
        enter(0, 4, 0),
        advance(3127),
        enter(0, 5, 0));
  }

  /**
   * Redis drops a user's ready mark when the ticket enters or leaves (or is evicted) only while the ready
   * grace is on, so a mark made before the grace was turned off outlives its ticket; once the grace is on
   * again, the same user's next ticket inherits the old mark and is evicted at its first sweep, its own
   * join. The in-memory queue drops the mark with the ticket and gives the new ticket a full grace.
   */
  @ParameterizedTest
  @ValueSource(strings = {"enter", "leave"})
  void aNewTicketGetsAFullReadyGraceWhenTheUsersLastTicketEndedWhileTheGraceWasOff(String ending) {
    EventSettings.Builder noIdleness = EventSettings.builder().idleTimeout(ms(0));
    replay(new Scenario(5L, noIdleness.readyGrace(ms(60_000)).build(), 0, 1),
        join(0, 1),
        sweep(0), // marks user 1 ready
        configure(0, noIdleness.readyGrace(ms(0)).build()),
        ending.equals("enter") ? enter(0, 1, 0) : leave(0, 1, 0),
        advance(10_000),
        sweep(0), // a sweep without the grace: the mark stays as it is
        configure(0, noIdleness.readyGrace(ms(10_000)).build()),
        advance(300),
        join(0, 1));
  }

  /**
   * Both queues draw a pre-queue seed on every scheduling call, so that two queues given generators with
   * one seed draw alike. The Redis queue draws before its script runs, also for a call the script refuses
   * (people in line); the in-memory queue checks first and draws only for a call it accepts. After one
   * refused call, the next event scheduled on each side gets another seed, and another commitment.
   */
  @Test
  void aRefusedSchedulingLeavesBothSidesDrawingAlike() {
    replay(new Scenario(7L, EventSettings.defaults(), 0, 2),
        join(0, 0),
        schedule(0, 5_000), // refused: someone is in line
        schedule(1, 5_000));
  }

  /**
   * A purged event starts its sequence numbers again, so a waiting token kept from before the purge names
   * the same user and sequence as that user's new ticket. Tokens of format 2 were taken for the new ticket
   * on both sides (and Redis answered the waiting time from the old token's second); tokens now carry the
   * event's incarnation, and both sides answer such a token NOT_FOUND.
   */
  @Test
  void aWaitingTokenFromBeforeAPurgeAnswersAlikeOnBothSides() {
    replay(new Scenario(6L, EventSettings.defaults(), 562, 1),
        join(0, 0),
        advance(614), // into the next second
        close(0),
        purge(0),
        join(0, 0), // sequence 1 again
        status(0, 0, 1)); // with the token from before the purge
  }

  /**
   * After a purge, the same user joins again and is admitted with sequence 1, as before the purge. An
   * enter with the waiting token from before the purge found the new reservation on the in-memory side
   * (it looked the lease up before the incarnation), and nothing on Redis: now neither admits a token of
   * another life of the event, nor verifies, completes or releases its reservation.
   */
  @Test
  void aWaitingTokenFromBeforeAPurgeIsNotGivenTheNewTicketsReservation() {
    replay(new Scenario(-3285080983971855183L, EventSettings.builder().admissionRate(1.0).burst(1).capacity(40)
            .reservationTtl(ms(30000)).idleTimeout(ms(3000)).readyGrace(ms(10000)).auditTrail(true)
            .auditMaxLength(100000).build(), 967, 1),
        join(0, 4),
        close(0),
        purge(0),
        advance(1),
        join(0, 4),
        enter(0, 4, 0),
        enter(0, 4, 2));
  }

  /**
   * A closed event is purged in as many calls on both sides, also when one ticket stood at the head all
   * along while others joined in 1,001 other seconds and left again. Redis once purged its join-time index
   * (a mark per second in which anybody joined, trimmed only by admissions) 1,000 marks a call, an index
   * the in-memory queue does not have: it said more calls were needed where the in-memory queue was done.
   */
  @Test
  void aClosedEventIsPurgedInAsManyCallsOnBothSides() {
    List<Op> steps = new ArrayList<>(List.of(join(0, 0)));
    for (int second = 0; second < 1_001; second++) {
      steps.addAll(List.of(advance(1_000), join(0, 1), leave(0, 1, 0)));
    }
    steps.addAll(List.of(close(0), purge(0)));

    replay(new Scenario(2L, EventSettings.builder().idleTimeout(ms(0)).build(), 0, 1), steps.toArray(Op[]::new));
  }

  /**
   * A closed event too big to purge in one call is being purged between calls: every call in that state,
   * and the purge's own answers until it is done, answer alike; then the event starts afresh.
   */
  @Test
  void everyCallWhileABigEventIsBeingPurgedAnswersAlike() {
    List<Op> steps = new ArrayList<>();
    for (int user = 0; user < 1_200; user++) {
      steps.add(join(0, user));
    }
    steps.addAll(List.of(enter(0, 0, 0), enter(0, 1, 0), close(0), purge(0),
        join(0, 5), join(0, 2_000), status(0, 5, 0), enter(0, 5, 0), leave(0, 6, 0), verify(0, 0, 0),
        complete(0, 0, 0), release(0, 1, 0), stats(0), settings(0), sweep(0), audit(0, 0, 10),
        configure(0, EventSettings.builder().auditTrail(true).build()), open(0), pause(0), schedule(0, 5_000),
        close(0), purge(0), purge(0), stats(0), join(0, 5), status(0, 5, 0)));

    replay(new Scenario(3L, EventSettings.builder().burst(2).auditTrail(true).build(), 0, 1), steps.toArray(Op[]::new));
  }

  /**
   * An audit entry's id is the queue clock's millisecond and a counter on both sides. It was Redis's own
   * time on the Redis side ({@code XADD *}), so with an injected clock the two sides' ids differed.
   */
  @Test
  void auditEntryIdsAreTheSameOnBothSides() {
    Scenario scenario = new Scenario(1L, EventSettings.builder().auditTrail(true).build(), 0, 1);
    try (Twin twin = new Twin(client, scenario)) {
      twin.step(join(0, 1));

      List<Object> trails = twin.onBoth(queue -> queue.auditTrail(twin.eventId(0), "0", 10));

      assertThat(trails.get(1)).as("the Redis side's trail").isEqualTo(trails.get(0));
    }
  }
}
