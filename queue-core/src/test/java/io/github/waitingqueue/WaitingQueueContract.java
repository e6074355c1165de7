package io.github.waitingqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.waitingqueue.internal.Ticket;
import io.github.waitingqueue.internal.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every {@link WaitingQueue} implementation must have, written once. An implementation's
 * test extends it and says how to build a queue from a {@link QueueConfig}; time is a {@link TestClock}
 * passed through the config, so rates and expiries are tested without sleeping.
 *
 * <p>Each test uses its own event id, so the suite may share one store between tests.
 */
public abstract class WaitingQueueContract {
  /** The keys tokens are signed with in this suite. */
  protected static final SigningKeys KEYS =
      SigningKeys.ofText("contract", "contract-suite-secret-that-is-at-least-32-bytes");
  private static final AtomicInteger EVENTS = new AtomicInteger();
  private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

  /** The clock every queue of this test reads. */
  protected TestClock clock;
  /** The queue under test, with default event settings. */
  protected WaitingQueue queue;
  /** A fresh event id for this test. */
  protected String event;
  private final List<WaitingQueue> opened = new ArrayList<>();

  /**
   * Builds the implementation under test.
   *
   * @param config signing keys, default settings and the test clock
   * @return a queue; closed by the suite after the test
   */
  protected abstract WaitingQueue newQueue(QueueConfig config);

  @BeforeEach
  void openQueue() {
    clock = new TestClock();
    queue = open(KEYS, EventSettings.defaults());
    event = newEventId();
  }

  @AfterEach
  void closeQueues() {
    opened.forEach(WaitingQueue::close);
  }

  /**
   * Opens another queue on the same store, with other keys or default settings.
   *
   * @param keys signing keys
   * @param defaults default event settings
   * @return the queue, closed after the test
   */
  protected WaitingQueue open(SigningKeys keys, EventSettings defaults) {
    WaitingQueue q = newQueue(QueueConfig.builder().signingKeys(keys).defaultEventSettings(defaults).clock(clock).build());
    opened.add(q);
    return q;
  }

  /**
   * An event id no other test uses.
   *
   * @return the id
   */
  protected static String newEventId() {
    return "ev-" + RUN + "-" + EVENTS.incrementAndGet();
  }

  /** Settings with abandonment off, so that only the rate and the capacity decide. */
  private static EventSettings.Builder steady(int burst, double rate, int capacity) {
    return EventSettings.builder().burst(burst).admissionRate(rate).capacity(capacity)
        .idleTimeout(Duration.ZERO).readyGrace(Duration.ZERO);
  }

  private void configure(int burst, double rate, int capacity) {
    queue.configure(event, steady(burst, rate, capacity).build());
  }

  private String join(String user) {
    return queue.join(event, user).waitingToken();
  }

  private Reservation admit(String token) {
    EnterResult result = queue.enter(token);
    assertThat(result.outcome()).as("enter outcome").isEqualTo(EnterOutcome.ADMITTED);
    return result.reservation().orElseThrow();
  }

  // ---- the origin gateway's three scenarios ----

  @Test
  void aLoneUserSeesPositionOneEntersAndIsThenNotFound() {
    JoinResult joined = queue.join(event, "alice");
    assertThat(joined.outcome()).isEqualTo(JoinOutcome.JOINED);
    assertThat(joined.position()).isEqualTo(1);
    assertThat(queue.status(joined.waitingToken()).position()).isEqualTo(1);

    assertThat(queue.enter(joined.waitingToken()).admitted()).isTrue();

    assertThat(queue.status(joined.waitingToken())).isEqualTo(TicketStatus.notFound());
  }

  @Test
  void theThirdUserMovesFromThreeToTwoToOneAsThoseAheadEnter() {
    String a = join("a");
    String b = join("b");
    String c = join("c");
    assertThat(queue.status(c).position()).isEqualTo(3);

    admit(a);
    assertThat(queue.status(c).position()).isEqualTo(2);

    admit(b);
    assertThat(queue.status(c).position()).isEqualTo(1);
  }

  @Test
  void whenTheMiddleUserLeavesTheLastMovesUpToTwo() {
    join("a");
    String b = join("b");
    String c = join("c");

    assertThat(queue.leave(b)).isTrue();

    assertThat(queue.status(c).position()).isEqualTo(2);
    assertThat(queue.status(b)).isEqualTo(TicketStatus.notFound());
  }

  // ---- join ----

  @Test
  void joinsInTheSameMillisecondAreOrderedByArrival() {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      JoinResult r = queue.join(event, "user-" + i);
      assertThat(r.position()).isEqualTo(i + 1);
      tokens.add(r.waitingToken());
    }
    for (int i = 0; i < 50; i++) {
      assertThat(queue.status(tokens.get(i)).position()).isEqualTo(i + 1);
    }
  }

  @Test
  void aRepeatedJoinWhileWaitingReturnsTheSameTicket() {
    JoinResult first = queue.join(event, "alice");
    queue.join(event, "bob");

    JoinResult again = queue.join(event, "alice");

    assertThat(again.outcome()).isEqualTo(JoinOutcome.ALREADY_WAITING);
    assertThat(again.waitingToken()).isEqualTo(first.waitingToken());
    assertThat(again.position()).isEqualTo(1);
    assertThat(queue.stats(event).totalJoined()).isEqualTo(2);
    assertThat(queue.stats(event).waiting()).isEqualTo(2);
  }

  @Test
  void joiningAgainAfterLeavingGoesToTheEndWithANewToken() {
    JoinResult first = queue.join(event, "alice");
    queue.join(event, "bob");
    queue.leave(first.waitingToken());

    JoinResult again = queue.join(event, "alice");

    assertThat(again.outcome()).isEqualTo(JoinOutcome.JOINED);
    assertThat(again.position()).isEqualTo(2);
    assertThat(again.waitingToken()).isNotEqualTo(first.waitingToken());
    assertThat(queue.status(first.waitingToken())).isEqualTo(TicketStatus.notFound());
  }

  @Test
  void theFirstJoinCreatesTheEventWithTheDefaultSettings() {
    EventSettings defaults = EventSettings.builder().burst(3).admissionRate(2.5).capacity(7)
        .reservationTtl(Duration.ofSeconds(42)).build();
    WaitingQueue custom = open(KEYS, defaults);
    assertThat(custom.settings(event)).isEmpty();

    custom.join(event, "alice");

    assertThat(custom.settings(event)).contains(defaults);
    assertThat(custom.stats(event).exists()).isTrue();
  }

  @Test
  void theHeadOfANewEventIsReadyAtOnce() {
    JoinResult r = queue.join(event, "alice");

    assertThat(r.readyForEntry()).isTrue();
    assertThat(r.etaSeconds()).isZero();
    assertThat(queue.status(r.waitingToken()).state()).isEqualTo(TicketState.READY);
  }

  @Test
  void eventsAreIndependentLines() {
    String other = newEventId();
    queue.join(event, "a");
    queue.join(event, "b");

    JoinResult elsewhere = queue.join(other, "b");

    assertThat(elsewhere.position()).isEqualTo(1);
    assertThat(queue.stats(event).waiting()).isEqualTo(2);
    assertThat(queue.stats(other).waiting()).isEqualTo(1);
  }

  // ---- status ----

  @Test
  void everyPositionBehindGoesDownAtOnceWhenTheHeadLeaves() {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tokens.add(join("u" + i));
    }

    queue.leave(tokens.get(0));

    for (int i = 1; i < 20; i++) {
      assertThat(queue.status(tokens.get(i)).position()).isEqualTo(i);
    }
  }

  @Test
  void statusSaysReadyWithoutConsumingAnything() {
    configure(1, 1, EventSettings.UNLIMITED);
    String a = join("a");

    for (int i = 0; i < 5; i++) {
      assertThat(queue.status(a).state()).isEqualTo(TicketState.READY);
    }

    assertThat(queue.enter(a).admitted()).isTrue();
    assertThat(queue.stats(event).totalEntered()).isEqualTo(1);
  }

  @Test
  void statusGivesTheEtaFromTheRateBeyondTheAllowance() {
    configure(1, 2, EventSettings.UNLIMITED);
    String token = null;
    for (int i = 0; i < 5; i++) {
      token = join("u" + i);
    }

    TicketStatus fifth = queue.status(token);

    // allowance 1, so four positions to go at two a second
    assertThat(fifth.state()).isEqualTo(TicketState.WAITING);
    assertThat(fifth.position()).isEqualTo(5);
    assertThat(fifth.etaSeconds()).isEqualTo(2);
  }

  @Test
  void statusCountsWholeSecondsWaited() {
    String a = join("a");
    assertThat(queue.status(a).waitingSeconds()).isZero();

    clock.advanceMillis(61_500);

    assertThat(queue.status(a).waitingSeconds()).isEqualTo(61);
  }

  @Test
  void statusOfATicketOfAnUnknownEventIsNotFound() {
    String token = new Tokens(KEYS).waitingToken(new Ticket(newEventId(), "ghost", 1));

    assertThat(queue.status(token)).isEqualTo(TicketStatus.notFound());
    assertThat(queue.enter(token).outcome()).isEqualTo(EnterOutcome.NOT_FOUND);
    assertThat(queue.leave(token)).isFalse();
  }

  @Test
  void aTicketWithTheRightUserButAnotherSequenceIsNotFound() {
    join("a");
    String forgedOld = new Tokens(KEYS).waitingToken(new Ticket(event, "a", 99));

    assertThat(queue.status(forgedOld)).isEqualTo(TicketStatus.notFound());
    assertThat(queue.enter(forgedOld).outcome()).isEqualTo(EnterOutcome.NOT_FOUND);
  }

  // ---- enter ----

  @Test
  void enterIsRefusedBeyondTheAllowanceAndConsumesNothing() {
    configure(1, 1, EventSettings.UNLIMITED);
    String a = join("a");
    String b = join("b");

    EnterResult refused = queue.enter(b);

    assertThat(refused.outcome()).isEqualTo(EnterOutcome.NOT_READY);
    assertThat(refused.position()).isEqualTo(2);
    assertThat(refused.etaSeconds()).isEqualTo(1);
    assertThat(refused.reservation()).isEmpty();
    assertThat(queue.enter(a).admitted()).isTrue();
  }

  @Test
  void aRepeatedEnterReturnsTheSameReservation() {
    String a = join("a");
    Reservation first = admit(a);
    clock.advanceMillis(1_000);

    Reservation second = admit(a);

    assertThat(second).isEqualTo(first);
    QueueStats stats = queue.stats(event);
    assertThat(stats.totalEntered()).isEqualTo(1);
    assertThat(stats.admitted()).isEqualTo(1);
  }

  @Test
  void concurrentEntersWithOneTokenYieldOneReservation() throws Exception {
    String a = join("a");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<EnterResult>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return queue.enter(a);
        }));
      }
      start.countDown();
      Set<Reservation> reservations = new HashSet<>();
      for (Future<EnterResult> f : results) {
        reservations.add(f.get(30, TimeUnit.SECONDS).reservation().orElseThrow());
      }
      assertThat(reservations).hasSize(1);
      assertThat(queue.stats(event).totalEntered()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theReservationLastsTheReservationTtlFromAdmission() {
    queue.configure(event, EventSettings.builder().reservationTtl(Duration.ofSeconds(30)).build());
    String a = join("a");

    Reservation r = admit(a);

    assertThat(r.expiresAt()).isEqualTo(Instant.ofEpochMilli(clock.millis() + 30_000));
    assertThat(r.eventId()).isEqualTo(event);
    assertThat(r.userId()).isEqualTo("a");
  }

  @Test
  void enterAfterLeavingIsNotFound() {
    String a = join("a");
    queue.leave(a);

    assertThat(queue.enter(a).outcome()).isEqualTo(EnterOutcome.NOT_FOUND);
    assertThat(queue.stats(event).totalEntered()).isZero();
  }

  // ---- the rate bucket ----

  @Test
  void admissionsFollowTheRateOnceTheBurstIsSpent() {
    configure(2, 1, EventSettings.UNLIMITED);
    List<String> t = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      t.add(join("u" + i));
    }
    admit(t.get(0));
    admit(t.get(1));
    assertThat(queue.enter(t.get(2)).outcome()).isEqualTo(EnterOutcome.NOT_READY);

    clock.advanceMillis(999);
    assertThat(queue.enter(t.get(2)).outcome()).isEqualTo(EnterOutcome.NOT_READY);

    clock.advanceMillis(1);
    admit(t.get(2));
    assertThat(queue.enter(t.get(3)).outcome()).isEqualTo(EnterOutcome.NOT_READY);
  }

  @Test
  void theBucketNeverHoldsMoreThanTheBurst() {
    configure(3, 10, EventSettings.UNLIMITED);
    List<String> t = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      t.add(join("u" + i));
    }
    clock.advance(Duration.ofHours(1));

    assertThat(queue.status(t.get(2)).state()).isEqualTo(TicketState.READY);
    assertThat(queue.status(t.get(3)).state()).isEqualTo(TicketState.WAITING);
    for (int i = 0; i < 3; i++) {
      admit(t.get(i));
    }
    assertThat(queue.enter(t.get(3)).outcome()).isEqualTo(EnterOutcome.NOT_READY);
  }

  @Test
  void aTicketWithinTheAllowanceMayEnterBeforeThoseAheadOfIt() {
    configure(3, 1, EventSettings.UNLIMITED);
    join("a");
    join("b");
    String c = join("c");
    String d = join("d");

    admit(c);

    // c used one of three tokens: a and b stay ready, d (now third) is not
    assertThat(queue.status(d).position()).isEqualTo(3);
    assertThat(queue.status(d).state()).isEqualTo(TicketState.WAITING);
  }

  @Test
  void reconfiguringTheRateTakesEffectAtOnce() {
    configure(1, 1, EventSettings.UNLIMITED);
    String a = join("a");
    String b = join("b");
    admit(a);
    clock.advanceMillis(100);
    assertThat(queue.enter(b).outcome()).isEqualTo(EnterOutcome.NOT_READY);

    configure(1, 100, EventSettings.UNLIMITED);
    clock.advanceMillis(10);

    admit(b);
  }

  @Test
  void loweringTheBurstCapsWhatTheBucketHolds() {
    configure(5, 1, EventSettings.UNLIMITED);
    List<String> t = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      t.add(join("u" + i));
    }

    configure(2, 1, EventSettings.UNLIMITED);

    assertThat(queue.status(t.get(1)).state()).isEqualTo(TicketState.READY);
    assertThat(queue.status(t.get(2)).state()).isEqualTo(TicketState.WAITING);
    assertThat(queue.settings(event).orElseThrow().burst()).isEqualTo(2);
  }

  // ---- capacity and reservations ----

  @Test
  void aFullCapacityHoldsTheLineEvenWithTokensLeft() {
    configure(10, 10, 1);
    String a = join("a");
    String b = join("b");
    admit(a);

    assertThat(queue.status(b).state()).isEqualTo(TicketState.WAITING);
    assertThat(queue.enter(b).outcome()).isEqualTo(EnterOutcome.NOT_READY);
    assertThat(queue.stats(event).admitted()).isEqualTo(1);
  }

  /** The two ways a holder ends a reservation: both free its slot, once, and each has its counter. */
  enum Ending {
    RELEASE(WaitingQueue::release, QueueStats::totalReleased),
    COMPLETE(WaitingQueue::complete, QueueStats::totalCompleted);

    private final BiPredicate<WaitingQueue, String> end;
    private final ToLongFunction<QueueStats> counter;

    Ending(BiPredicate<WaitingQueue, String> end, ToLongFunction<QueueStats> counter) {
      this.end = end;
      this.counter = counter;
    }

    boolean end(WaitingQueue queue, String reservationToken) {
      return end.test(queue, reservationToken);
    }

    long counted(QueueStats stats) {
      return counter.applyAsLong(stats);
    }
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void endingAReservationFreesItsSlot(Ending ending) {
    configure(10, 10, 1);
    String a = join("a");
    String b = join("b");
    Reservation r = admit(a);

    assertThat(ending.end(queue, r.token())).isTrue();

    admit(b);
    assertThat(ending.counted(queue.stats(event))).isEqualTo(1);
  }

  @Test
  void anExpiredReservationFreesItsSlot() {
    queue.configure(event, EventSettings.builder().burst(10).capacity(1).reservationTtl(Duration.ofSeconds(10)).build());
    String a = join("a");
    String b = join("b");
    Reservation r = admit(a);
    clock.advanceMillis(9_999);
    assertThat(queue.enter(b).outcome()).isEqualTo(EnterOutcome.NOT_READY);

    clock.advanceMillis(1);

    assertThat(queue.verify(r.token())).isEmpty();
    admit(b);
    assertThat(queue.stats(event).admitted()).isEqualTo(1);
  }

  @Test
  void aRepeatedEnterAfterTheReservationExpiredIsNotFound() {
    queue.configure(event, EventSettings.builder().reservationTtl(Duration.ofSeconds(1)).build());
    String a = join("a");
    admit(a);
    clock.advanceMillis(1_000);

    assertThat(queue.enter(a).outcome()).isEqualTo(EnterOutcome.NOT_FOUND);
    assertThat(queue.stats(event).totalEntered()).isEqualTo(1);
  }

  @Test
  void verifyReturnsAHeldReservationWithItsExpiry() {
    String a = join("a");
    Reservation r = admit(a);

    assertThat(queue.verify(r.token())).contains(r);
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void aReservationEndsOnlyOnce(Ending ending) {
    Reservation r = admit(join("a"));

    assertThat(ending.end(queue, r.token())).isTrue();

    assertThat(queue.release(r.token())).isFalse();
    assertThat(queue.complete(r.token())).isFalse();
    assertThat(queue.verify(r.token())).isEmpty();
    QueueStats stats = queue.stats(event);
    assertThat(stats.totalReleased() + stats.totalCompleted()).as("ended reservations").isEqualTo(1);
    assertThat(ending.counted(stats)).isEqualTo(1);
  }

  @Test
  void anOldReservationTokenNeverMatchesAReusedSequenceNumber() {
    String old = admit(join("alice")).token();
    queue.closeEvent(event);
    while (!queue.purgeEvent(event)) {
      // bounded steps
    }

    Reservation bobs = admit(queue.join(event, "bob").waitingToken());

    assertThat(new Tokens(KEYS).readReservationToken(bobs.token()).sequence()).isEqualTo(1);
    assertThat(queue.verify(old)).isEmpty();
    assertThat(queue.release(old)).isFalse();
    assertThat(queue.verify(bobs.token())).isPresent();
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void anEndedReservationCannotBeRegainedByEnteringAgain(Ending ending) {
    String a = join("a");
    Reservation r = admit(a);
    ending.end(queue, r.token());

    assertThat(queue.enter(a).outcome()).isEqualTo(EnterOutcome.NOT_FOUND);
  }

  // ---- leave ----

  @Test
  void leavingTwiceLeavesOnce() {
    String a = join("a");

    assertThat(queue.leave(a)).isTrue();
    assertThat(queue.leave(a)).isFalse();
    assertThat(queue.stats(event).totalLeft()).isEqualTo(1);
  }

  @Test
  void anAdmittedTicketCannotLeaveTheLine() {
    String a = join("a");
    admit(a);

    assertThat(queue.leave(a)).isFalse();
    assertThat(queue.stats(event).admitted()).isEqualTo(1);
  }

  @Test
  void leaveIsFalseForATicketNoLongerInLineWhateverTookItOut() {
    configure(1, 0.001, EventSettings.UNLIMITED);
    String admitted = join("admitted");
    String left = join("left");
    admit(admitted);
    assertThat(queue.leave(left)).isTrue();

    assertThat(queue.leave(left)).isFalse();
    assertThat(queue.leave(admitted)).isFalse();
  }

  // ---- stats and settings ----

  @Test
  void statsCountEveryOutcome() {
    configure(10, 10, EventSettings.UNLIMITED);
    String a = join("a");
    String b = join("b");
    String c = join("c");
    join("d");
    Reservation ra = admit(a);
    Reservation rb = admit(b);
    queue.leave(c);
    queue.complete(ra.token());

    QueueStats s = queue.stats(event);

    assertThat(s).isEqualTo(QueueStats.builder(event).waiting(1).waitingByPriority(Map.of(0, 1L)).admitted(1)
        .totalJoined(4).totalEntered(2).totalLeft(1).totalCompleted(1).build());
    queue.release(rb.token());
    assertThat(queue.stats(event).totalReleased()).isEqualTo(1);
  }

  @Test
  void anUnknownEventHasNoSettingsAndEmptyStats() {
    String unknown = newEventId();

    assertThat(queue.settings(unknown)).isEmpty();
    assertThat(queue.stats(unknown)).isEqualTo(QueueStats.absent(unknown));
  }

  @Test
  void configureCreatesAnEventAndSettingsReadBack() {
    EventSettings s = EventSettings.builder().admissionRate(1.0 / 3).burst(4).capacity(9)
        .reservationTtl(Duration.ofMillis(90_500)).idleTimeout(Duration.ofMillis(45_001))
        .readyGrace(Duration.ofSeconds(7)).auditTrail(true).auditMaxLength(500).build();

    queue.configure(event, s);

    assertThat(queue.settings(event)).contains(s);
    assertThat(queue.stats(event).exists()).isTrue();
    assertThat(queue.stats(event).waiting()).isZero();
  }

  // ---- tokens ----

  @Test
  void aTokenWithABitFlippedInItsSignatureIsRejected() {
    String token = join("a");
    int dot = token.indexOf('.');
    byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    signature[5] ^= 0x10;
    String forged = token.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);

    assertThatThrownBy(() -> queue.status(forged)).isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(() -> queue.enter(forged)).isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(() -> queue.leave(forged)).isInstanceOf(InvalidTokenException.class);
    assertThat(queue.stats(event).waiting()).isEqualTo(1);
  }

  @Test
  void aTokenForAnotherUserWithTheOriginalSignatureIsRejected() {
    String token = join("a");
    int dot = token.indexOf('.');
    String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.ISO_8859_1);
    String tampered = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.replace("a", "b").getBytes(StandardCharsets.ISO_8859_1)) + token.substring(dot);

    assertThatThrownBy(() -> queue.enter(tampered)).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void garbledAndTruncatedTokensAreRejected() {
    String token = join("a");
    List<String> bad = List.of("garbage", "a.b", ".", "x.", token.substring(0, token.length() - 3),
        token.substring(0, token.indexOf('.')), token + "." + token, "%%%.%%%", token.replace('.', '!'),
        "A".repeat(5000));
    for (String t : bad) {
      assertThatThrownBy(() -> queue.status(t)).as(t).isInstanceOf(InvalidTokenException.class);
    }
  }

  @Test
  void aTokenSignedWithAnotherSecretIsRejected() {
    WaitingQueue foreign = open(SigningKeys.ofText("contract", "some-other-deployments-secret-32-bytes!!"),
        EventSettings.defaults());
    String token = foreign.join(event, "mallory").waitingToken();

    assertThatThrownBy(() -> queue.status(token)).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void aTokenFromARetiredKeyIsStillAcceptedAfterRotation() {
    byte[] oldSecret = "the-old-secret-that-is-long-enough-32b".getBytes(StandardCharsets.UTF_8);
    byte[] newSecret = "the-new-secret-that-is-long-enough-32b".getBytes(StandardCharsets.UTF_8);
    SigningKeys rotated = SigningKeys.builder().current("k2", newSecret).retired("k1", oldSecret).build();
    WaitingQueue after = open(rotated, EventSettings.defaults());
    Ticket ticket = new Tokens(rotated).readWaitingToken(after.join(event, "alice").waitingToken());
    String issuedBeforeRotation = new Tokens(SigningKeys.of("k1", oldSecret)).waitingToken(ticket);

    assertThat(after.status(issuedBeforeRotation).position()).isEqualTo(1);
    WaitingQueue dropped = open(SigningKeys.of("k2", newSecret), EventSettings.defaults());
    assertThatThrownBy(() -> dropped.status(issuedBeforeRotation)).isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("unknown key id");
  }

  @Test
  void aReservationTokenIsNotAWaitingTokenAndViceVersa() {
    String waiting = join("a");
    Reservation r = admit(waiting);

    assertThatThrownBy(() -> queue.status(r.token())).isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(() -> queue.verify(waiting)).isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(() -> queue.release(waiting)).isInstanceOf(InvalidTokenException.class);
  }

  // ---- bad input ----

  @Test
  void invalidEventIdsAreRejectedAndCreateNothing() {
    List<String> bad = new ArrayList<>(List.of("", "{ev}", "ev}", "a b", "é", "ev/1", "x".repeat(65), "ev\n"));
    for (String id : bad) {
      assertThatThrownBy(() -> queue.join(id, "alice")).as("eventId %s", id).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> queue.stats(id)).isInstanceOf(InvalidInputException.class);
    }
    assertThatThrownBy(() -> queue.join(null, "alice")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("eventId");
  }

  @Test
  void invalidUserIdsAreRejectedAndChangeNothing() {
    queue.join(event, "alice");
    List<String> bad = List.of("", " ", "a b", "{alice}", "tab\tuser", "nul\u0000", "x".repeat(129), "\uD800");
    for (String id : bad) {
      assertThatThrownBy(() -> queue.join(event, id)).as("userId %s", id).isInstanceOf(InvalidInputException.class);
    }
    assertThatThrownBy(() -> queue.join(event, null)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("userId");

    assertThat(queue.stats(event).totalJoined()).isEqualTo(1);
    assertThatThrownBy(() -> queue.join(newEventId(), "")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void unicodeUserIdsWithinTheLimitsAreAccepted() {
    String user = "Zoë-宮崎-😀@example.com";

    JoinResult r = queue.join(event, user);

    assertThat(queue.status(r.waitingToken()).position()).isEqualTo(1);
    assertThat(admit(r.waitingToken()).userId()).isEqualTo(user);
  }

  @Test
  void nullAndBlankTokensAreRejected() {
    List<Callable<?>> calls = List.of(() -> queue.status(null), () -> queue.enter(""), () -> queue.leave("  "),
        () -> queue.verify(null), () -> queue.complete(""), () -> queue.release(null));
    for (Callable<?> call : calls) {
      assertThatThrownBy(call::call).isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void configureRejectsNullSettings() {
    assertThatThrownBy(() -> queue.configure(event, null)).isInstanceOf(InvalidInputException.class);
    assertThat(queue.settings(event)).isEmpty();
  }

  // ---- lifecycle ----

  @Test
  void aPausedEventQueuesJoinsButAdmitsNobody() {
    queue.pauseEvent(event);

    JoinResult a = queue.join(event, "a");

    assertThat(a.state()).isEqualTo(TicketState.PAUSED);
    assertThat(a.position()).isEqualTo(1);
    assertThat(queue.status(a.waitingToken()).state()).isEqualTo(TicketState.PAUSED);
    EnterResult refused = queue.enter(a.waitingToken());
    assertThat(refused.outcome()).isEqualTo(EnterOutcome.NOT_READY);
    assertThat(refused.position()).isEqualTo(1);
    assertThat(queue.stats(event).state()).isEqualTo(EventState.PAUSED);
  }

  @Test
  void resumingAPausedEventAdmitsAgain() {
    queue.pauseEvent(event);
    String a = join("a");

    queue.openEvent(event);

    assertThat(queue.status(a).state()).isEqualTo(TicketState.READY);
    admit(a);
  }

  @Test
  void aClosedEventRefusesJoinsAndTellsWaiters() {
    String a = join("a");
    Reservation held = admit(join("early"));

    queue.closeEvent(event);

    JoinResult late = queue.join(event, "late");
    assertThat(late.outcome()).isEqualTo(JoinOutcome.EVENT_CLOSED);
    assertThat(late.waitingToken()).isNull();
    assertThat(queue.status(a).state()).isEqualTo(TicketState.CLOSED);
    assertThat(queue.enter(a).outcome()).isEqualTo(EnterOutcome.EVENT_CLOSED);
    assertThat(queue.verify(held.token())).isPresent();
    assertThat(queue.stats(event).totalJoined()).isEqualTo(2);
  }

  @Test
  void beforeAScheduledOpeningJoinersWaitInThePreQueue() {
    queue.scheduleOpening(event, Instant.ofEpochMilli(clock.millis() + 60_000));

    JoinResult a = queue.join(event, "a");
    clock.advanceMillis(20_000);

    assertThat(a.state()).isEqualTo(TicketState.PRE_QUEUE);
    assertThat(a.position()).isZero();
    assertThat(a.etaSeconds()).isEqualTo(60);
    TicketStatus later = queue.status(a.waitingToken());
    assertThat(later.state()).isEqualTo(TicketState.PRE_QUEUE);
    assertThat(later.etaSeconds()).isEqualTo(40);
    assertThat(queue.enter(a.waitingToken()).outcome()).isEqualTo(EnterOutcome.NOT_READY);
    QueueStats stats = queue.stats(event);
    assertThat(stats.state()).isEqualTo(EventState.SCHEDULED);
    assertThat(stats.scheduledOpening()).contains(Instant.ofEpochMilli(TestClock.START_MILLIS + 60_000));
  }

  @Test
  void atTheOpeningThePreQueueStandsInARandomOrderAheadOfLaterJoiners() {
    queue.configure(event, steady(1, 1, EventSettings.UNLIMITED).build());
    queue.scheduleOpening(event, Instant.ofEpochMilli(clock.millis() + 10_000));
    List<String> early = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      early.add(join("early-" + i));
      clock.advanceMillis(100);
    }
    clock.advanceMillis(10_000);

    String late = join("late");

    List<Long> positions = new ArrayList<>();
    for (String t : early) {
      positions.add(queue.status(t).position());
    }
    assertThat(positions).containsExactlyInAnyOrderElementsOf(
        java.util.stream.LongStream.rangeClosed(1, 20).boxed().collect(java.util.stream.Collectors.toList()));
    assertThat(positions).as("shuffled, not in arrival order")
        .isNotEqualTo(java.util.stream.LongStream.rangeClosed(1, 20).boxed().collect(java.util.stream.Collectors.toList()));
    assertThat(queue.status(late).position()).isEqualTo(21);
    assertThat(queue.stats(event).state()).isEqualTo(EventState.OPEN);
  }

  @Test
  void theDrawIsCommittedWhenTheOpeningIsScheduledAndItsSeedPublishedAtTheOpening() {
    queue.scheduleOpening(event, Instant.ofEpochMilli(clock.millis() + 10_000));
    join("early");

    QueueStats before = queue.stats(event);
    assertThat(before.commitment()).isPresent();
    assertThat(before.seed()).isEmpty();

    clock.advanceMillis(10_000);
    QueueStats after = queue.stats(event);

    assertThat(after.seed()).isPresent();
    assertThat(PrequeueDraw.commitment(after.drawSeed())).isEqualTo(before.drawCommitment());
    assertThat(after.drawCommitment()).isEqualTo(before.drawCommitment());
  }

  @Test
  void anyoneWithTheSeedRecomputesThePreQueuesOrder() {
    queue.configure(event, steady(1, 0.001, EventSettings.UNLIMITED).build());
    queue.scheduleOpening(event, Instant.ofEpochMilli(clock.millis() + 10_000));
    Tokens tokens = new Tokens(KEYS);
    java.util.Map<Long, String> bySequence = new java.util.HashMap<>();
    for (int i = 0; i < 30; i++) {
      String token = join("early-" + i);
      bySequence.put(tokens.readWaitingToken(token).sequence(), token);
    }
    clock.advanceMillis(10_000);

    List<Long> order = PrequeueDraw.order(queue.stats(event).drawSeed(), bySequence.keySet());

    for (int i = 0; i < order.size(); i++) {
      assertThat(queue.status(bySequence.get(order.get(i))).position()).as("place %d", i + 1).isEqualTo(i + 1);
    }
  }

  @Test
  void reschedulingAnOpeningKeepsTheDrawSoThePreQueueKeepsItsOrder() {
    queue.scheduleOpening(event, Instant.ofEpochMilli(clock.millis() + 10_000));
    String a = join("a");
    String b = join("b");
    String commitment = queue.stats(event).drawCommitment();
    long aBefore = queue.status(a).etaSeconds();

    queue.scheduleOpening(event, Instant.ofEpochMilli(clock.millis() + 20_000));
    clock.advanceMillis(20_000);

    assertThat(queue.stats(event).drawCommitment()).isEqualTo(commitment);
    assertThat(aBefore).isEqualTo(10);
    assertThat(List.of(queue.status(a).position(), queue.status(b).position())).containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void openingAScheduledEventEarlyPublishesItsSeedAtOnce() {
    queue.scheduleOpening(event, Instant.ofEpochMilli(clock.millis() + 60_000));
    join("early");

    queue.openEvent(event);

    assertThat(queue.stats(event).seed()).isPresent();
  }

  @Test
  void anEventNeverScheduledHasNoDraw() {
    join("a");

    assertThat(queue.stats(event).commitment()).isEmpty();
    assertThat(queue.stats(event).seed()).isEmpty();
  }

  @Test
  void theVerifierRefusesASequenceNumberOutsideThePreQueue() {
    assertThatThrownBy(() -> PrequeueDraw.order("seed", List.of(1L << 26))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> PrequeueDraw.order(null, List.of(1L))).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void afterTheOpeningPreQueuePositionsMoveLikeAnyOthers() {
    queue.configure(event, steady(1, 1, EventSettings.UNLIMITED).build());
    queue.scheduleOpening(event, Instant.ofEpochMilli(clock.millis() + 1_000));
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tokens.add(join("u" + i));
    }
    clock.advanceMillis(1_000);
    String first = tokens.stream().filter(t -> queue.status(t).position() == 1).findFirst().orElseThrow();
    String fifth = tokens.stream().filter(t -> queue.status(t).position() == 5).findFirst().orElseThrow();

    admit(first);

    assertThat(queue.status(fifth).position()).isEqualTo(4);
    assertThat(queue.leave(fifth)).isTrue();
    assertThat(tokens.stream().mapToLong(t -> queue.status(t).position()).sorted().toArray())
        .containsExactly(0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
  }

  @Test
  void eachEarlyArrivalIsEquallyLikelyToComeFirst() {
    int firstArrivalWins = 0;
    int trials = 200;
    for (int trial = 0; trial < trials; trial++) {
      String ev = newEventId();
      queue.scheduleOpening(ev, Instant.ofEpochMilli(clock.millis() + 1));
      String first = queue.join(ev, "u0").waitingToken();
      for (int i = 1; i < 5; i++) {
        queue.join(ev, "u" + i);
      }
      clock.advanceMillis(1);
      if (queue.status(first).position() == 1) {
        firstArrivalWins++;
      }
    }
    // one in five on average (40 of 200); far outside this band would mean arrival order leaks through
    assertThat(firstArrivalWins).isBetween(15, 70);
  }

  @Test
  void openingAScheduledEventEarlyOpensItAtOnce() {
    queue.scheduleOpening(event, Instant.ofEpochMilli(clock.millis() + 3_600_000));
    String a = join("a");

    queue.openEvent(event);

    assertThat(queue.status(a).state()).isEqualTo(TicketState.READY);
    assertThat(queue.stats(event).scheduledOpening()).isEmpty();
  }

  @Test
  void anOpenEventWithPeopleInLineCannotBeScheduled() {
    String a = join("a");

    assertThatThrownBy(() -> queue.scheduleOpening(event, Instant.ofEpochMilli(clock.millis() + 1_000)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(queue.status(a).state()).isEqualTo(TicketState.READY);
  }

  @Test
  void aClosedEventIsPurgedCompletelyInBoundedSteps() {
    for (int i = 0; i < 2_500; i++) {
      queue.join(event, "u" + i);
    }
    String a = queue.join(event, "u0").waitingToken();
    assertThatThrownBy(() -> queue.purgeEvent(event)).isInstanceOf(IllegalStateException.class);
    queue.closeEvent(event);

    int calls = 1;
    while (!queue.purgeEvent(event)) {
      calls++;
    }

    assertThat(calls).isEqualTo(3);
    assertThat(queue.stats(event).exists()).isFalse();
    assertThat(queue.status(a)).isEqualTo(TicketStatus.notFound());
    assertThat(queue.purgeEvent(newEventId())).isTrue();
  }

  // ---- abandonment ----

  private EventSettings.Builder abandonment(Duration idle, Duration grace) {
    return EventSettings.builder().burst(1).admissionRate(0.001).idleTimeout(idle).readyGrace(grace);
  }

  @Test
  void anIdleWaiterIsEvictedWithoutPollingAndThoseBehindMoveUp() {
    queue.configure(event, abandonment(Duration.ofSeconds(10), Duration.ZERO).build());
    String ghost = join("ghost");
    String b = join("b");
    String c = join("c");
    for (int second = 2; second <= 16; second += 2) {
      clock.advanceMillis(2_000);
      queue.status(b);
      queue.status(c);
    }

    assertThat(queue.status(c).position()).isEqualTo(2);
    assertThat(queue.status(ghost)).isEqualTo(TicketStatus.notFound());
    assertThat(queue.stats(event).totalEvicted()).isEqualTo(1);
  }

  /**
   * Sweeps explicitly every {@code stepMs} for {@code totalMs}, as an operator's (or the queue's own)
   * background sweeper would; returns how many tickets the sweeps evicted.
   */
  private long sweepEvery(long stepMs, long totalMs) {
    long evicted = 0;
    for (long t = stepMs; t <= totalMs; t += stepMs) {
      clock.advanceMillis(stepMs);
      evicted += queue.sweep(event);
    }
    return evicted;
  }

  @Test
  void nobodyIsEvictedBeforeTheIdleTimeout() {
    queue.configure(event, abandonment(Duration.ofSeconds(10), Duration.ZERO).build());
    String quiet = join("quiet");
    String b = join("b");

    clock.advanceMillis(9_999);
    queue.status(b);

    assertThat(queue.stats(event).totalEvicted()).isZero();
    assertThat(queue.status(quiet).position()).isEqualTo(1);
  }

  @Test
  void statusCallsAreHeartbeats() {
    queue.configure(event, abandonment(Duration.ofSeconds(10), Duration.ZERO).build());
    String a = join("a");
    String b = join("b");
    for (int i = 0; i < 20; i++) {
      clock.advanceMillis(4_000);
      queue.status(a);
      queue.status(b);
    }

    assertThat(queue.status(b).position()).isEqualTo(2);
    assertThat(queue.stats(event).totalEvicted()).isZero();
  }

  @Test
  void anExplicitSweepEvictsEveryIdleWaiterOfAQuietEvent() {
    queue.configure(event, abandonment(Duration.ofSeconds(10), Duration.ZERO).build());
    for (int i = 0; i < 100; i++) {
      join("u" + i);
    }

    assertThat(sweepEvery(2_000, 16_000)).isEqualTo(100);
    assertThat(queue.stats(event).waiting()).isZero();
    assertThat(queue.sweep(event)).isZero();
  }

  @Test
  void aReadyTicketThatDoesNotComeToEnterIsSkipped() {
    queue.configure(event, abandonment(Duration.ZERO, Duration.ofSeconds(5)).build());
    String ghost = join("ghost");
    String b = join("b");
    clock.advanceMillis(300);
    assertThat(queue.status(b).state()).isEqualTo(TicketState.WAITING);

    for (int i = 0; i < 5; i++) {
      clock.advanceMillis(1_000);
      queue.status(b);
    }

    TicketStatus next = queue.status(b);
    assertThat(next.position()).isEqualTo(1);
    assertThat(next.state()).isEqualTo(TicketState.READY);
    assertThat(queue.status(ghost)).isEqualTo(TicketStatus.notFound());
    assertThat(queue.stats(event).totalEvicted()).isEqualTo(1);
  }

  @Test
  void aReadyTicketThatEntersWithinTheGraceIsAdmitted() {
    queue.configure(event, abandonment(Duration.ZERO, Duration.ofSeconds(5)).build());
    String a = join("a");
    join("b");
    clock.advanceMillis(300);
    queue.sweep(event);
    clock.advanceMillis(4_000);

    admit(a);
    assertThat(queue.stats(event).totalEvicted()).isZero();
  }

  @Test
  void changingTheIdleTimeoutGivesEveryoneAFullNewTimeout() {
    queue.configure(event, abandonment(Duration.ofSeconds(10), Duration.ZERO).build());
    String quiet = join("quiet");
    clock.advanceMillis(9_000);

    queue.configure(event, abandonment(Duration.ofSeconds(20), Duration.ZERO).build());
    clock.advanceMillis(19_000);

    assertThat(queue.sweep(event)).isZero();
    assertThat(queue.status(quiet).position()).isEqualTo(1);
  }

  @Test
  void anOutageLongerThanTheIdleTimeoutEvictsNobodyWhoPollsAfterIt() {
    queue.configure(event, abandonment(Duration.ofSeconds(2), Duration.ZERO).build());
    List<String> faithful = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      faithful.add(join("u" + i));
    }
    pollEvery(faithful, 500, 3_000);

    clock.advanceMillis(3_500); // Redis, or every application instance, is down: nobody's poll arrives
    pollEvery(faithful, 500, 5_000);

    assertThat(queue.stats(event).totalEvicted()).isZero();
    assertThat(faithful).allMatch(t -> queue.status(t).state() != TicketState.NOT_FOUND);
  }

  @Test
  void afterAnOutageWhoeverStaysSilentIsEvictedOneIdleTimeoutLater() {
    queue.configure(event, abandonment(Duration.ofSeconds(2), Duration.ZERO).build());
    String ghost = join("ghost");
    String poller = join("poller");
    clock.advanceMillis(3_500);

    pollEvery(List.of(poller), 250, 1_750);
    assertThat(queue.stats(event).waiting()).as("within the idle timeout after the outage").isEqualTo(2);

    pollEvery(List.of(poller), 250, 1_000);
    assertThat(queue.stats(event).totalEvicted()).isEqualTo(1);
    assertThat(queue.status(ghost)).isEqualTo(TicketStatus.notFound());
    assertThat(queue.status(poller).position()).isEqualTo(1);
  }

  @Test
  void anOutageLongerThanTheReadyGraceSkipsNobodyWhoIsReady() {
    queue.configure(event, abandonment(Duration.ZERO, Duration.ofSeconds(2)).build());
    String head = join("head");
    String next = join("next");
    pollEvery(List.of(head, next), 250, 1_000);

    clock.advanceMillis(3_000);
    TicketStatus after = queue.status(head);

    assertThat(after.state()).isEqualTo(TicketState.READY);
    assertThat(queue.stats(event).totalEvicted()).isZero();
    assertThat(queue.enter(head).admitted()).isTrue();
  }

  @Test
  void evictionKeepsUpWithALargeAbandonedLineAsItsSweepsGrow() {
    queue.configure(event, abandonment(Duration.ofSeconds(2), Duration.ZERO).build());
    for (int i = 0; i < 4_800; i++) {
      join("ghost-" + i);
    }
    String faithful = join("faithful");

    // 70 s of ordinary traffic sweeps 280 times: a fixed batch of 16 would examine 4,480 tickets
    pollEvery(List.of(faithful), 250, 70_000);

    assertThat(queue.stats(event).totalEvicted()).isEqualTo(4_800);
    assertThat(queue.status(faithful).position()).isEqualTo(1);
  }

  /** Every token polls every {@code stepMs} for {@code totalMs}. */
  private void pollEvery(List<String> tokens, long stepMs, long totalMs) {
    for (long t = stepMs; t <= totalMs; t += stepMs) {
      clock.advanceMillis(stepMs);
      tokens.forEach(queue::status);
    }
  }

  // ---- purge ----

  @Test
  void aPurgeInProgressRefusesEveryCallButPurgeAndStats() {
    configure(10, 10, EventSettings.UNLIMITED);
    Reservation held = admit(join("held"));
    String waiter = join("waiter");
    for (int i = 0; i < 1_500; i++) {
      join("u" + i);
    }
    queue.closeEvent(event);

    assertThat(queue.purgeEvent(event)).isFalse();

    assertThat(queue.stats(event).state()).isEqualTo(EventState.PURGING);
    assertThat(queue.join(event, "late").outcome()).isEqualTo(JoinOutcome.EVENT_CLOSED);
    assertThat(queue.status(waiter).state()).isIn(TicketState.CLOSED, TicketState.NOT_FOUND);
    assertThat(queue.enter(waiter).outcome()).isEqualTo(EnterOutcome.EVENT_CLOSED);
    assertThat(queue.leave(waiter)).isFalse();
    assertThat(queue.verify(held.token())).isEmpty();
    assertThat(queue.complete(held.token())).isFalse();
    assertThat(queue.release(held.token())).isFalse();
    assertThat(queue.sweep(event)).isZero();
    assertThatThrownBy(() -> queue.openEvent(event)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> queue.pauseEvent(event)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> queue.scheduleOpening(event, clock.instant().plusSeconds(60)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> queue.configure(event, EventSettings.defaults())).isInstanceOf(IllegalStateException.class);
    assertThat(queue.stats(event).state()).isEqualTo(EventState.PURGING);
  }

  @Test
  void theCountersOfAPurgingEventStillAddUp() {
    configure(10, 10, EventSettings.UNLIMITED);
    admit(join("held"));
    queue.leave(join("leaver"));
    for (int i = 0; i < 1_500; i++) {
      join("u" + i);
    }
    queue.closeEvent(event);
    queue.purgeEvent(event);

    QueueStats s = queue.stats(event);

    assertThat(s.totalPurged()).isEqualTo(1_000);
    assertThat(s.waiting()).isEqualTo(500);
    assertThat(s.totalJoined())
        .isEqualTo(s.waiting() + s.totalEntered() + s.totalLeft() + s.totalEvicted() + s.totalPurged());
  }

  @Test
  void anEventCreatedAgainAfterAPurgeSeesNothingLeftOver() {
    configure(10, 10, 5);
    Reservation held = admit(join("held"));
    for (int i = 0; i < 1_200; i++) {
      join("u" + i);
    }
    queue.closeEvent(event);
    while (!queue.purgeEvent(event)) {
      // bounded: each call removes up to a thousand entries
    }

    JoinResult fresh = queue.join(event, "newcomer");

    assertThat(fresh.position()).isEqualTo(1);
    assertThat(queue.stats(event)).isEqualTo(QueueStats.builder(event).waiting(1).waitingByPriority(Map.of(0, 1L))
        .totalJoined(1).build());
    assertThat(queue.verify(held.token())).isEmpty();
    assertThat(queue.settings(event)).contains(EventSettings.defaults());
  }

  @Test
  void aWaitingTokenFromBeforeAPurgeFindsNothingInTheEventCreatedAgain() {
    String old = join("alice");
    clock.advance(Duration.ofMillis(5));
    queue.closeEvent(event);
    while (!queue.purgeEvent(event)) {
      // bounded steps
    }
    clock.advance(Duration.ofMillis(5));

    String again = join("alice"); // sequence 1 again, in a new life of the event

    assertThat(again).isNotEqualTo(old);
    assertThat(queue.status(old).state()).isEqualTo(TicketState.NOT_FOUND);
    assertThat(queue.enter(old).outcome()).isEqualTo(EnterOutcome.NOT_FOUND);
    assertThat(queue.leave(old)).isFalse();
    assertThat(queue.status(again).position()).isEqualTo(1);
  }

  // ---- presale lanes ----

  /** Lanes fanclub (priority 2) and presale (1) ahead of the general line; nobody admitted. */
  private void lanes() {
    queue.configure(event, steady(1, 0.001, EventSettings.UNLIMITED).lane("fanclub", 2).lane("presale", 1).build());
  }

  private String join(String user, String lane) {
    return queue.join(event, user, lane).waitingToken();
  }

  private long position(String token) {
    return queue.status(token).position();
  }

  @Test
  void everyTicketOfAHigherLaneStandsAheadOfEveryTicketOfALowerLane() {
    lanes();
    String g1 = join("g1");
    String f1 = join("f1", "fanclub");
    String p1 = join("p1", "presale");
    String g2 = join("g2", null);
    JoinResult f2 = queue.join(event, "f2", "fanclub");

    assertThat(f2.position()).as("a fanclub joiner's position at join").isEqualTo(2);
    assertThat(List.of(position(f1), position(f2.waitingToken()), position(p1), position(g1), position(g2)))
        .containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void statsCountWhoWaitsAtEachLanePriority() {
    assertThat(queue.stats(event).waitingByPriority()).as("no event").isEmpty();
    lanes();
    join("g1");
    assertThat(queue.stats(event).waitingByPriority()).as("the general line alone").containsExactly(Map.entry(0, 1L));
    join("f1", "fanclub");
    join("f2", "fanclub");
    join("p1", "presale");
    join("g2");
    String f3 = join("f3", "fanclub");
    queue.leave(f3);

    assertThat(queue.stats(event).waitingByPriority())
        .containsExactly(Map.entry(2, 2L), Map.entry(1, 1L), Map.entry(0, 2L));
  }

  @Test
  void positionsBehindGoDownAcrossLanesWhenAnyoneAheadEntersOrLeaves() {
    queue.configure(event, steady(1, 0.001, EventSettings.UNLIMITED).lane("fanclub", 2).build());
    String g1 = join("g1");
    String f1 = join("f1", "fanclub");
    String f2 = join("f2", "fanclub");

    assertThat(admit(f1)).isNotNull();
    assertThat(position(g1)).isEqualTo(2);
    assertThat(queue.leave(f2)).isTrue();
    assertThat(position(g1)).isEqualTo(1);
  }

  @Test
  void theHeadOfTheHighestLaneIsAdmittedFirst() {
    queue.configure(event, steady(1, 0.001, EventSettings.UNLIMITED).lane("fanclub", 2).build());
    String g1 = join("g1");
    String f1 = join("f1", "fanclub");

    assertThat(queue.status(f1).state()).isEqualTo(TicketState.READY);
    assertThat(queue.enter(g1).outcome()).isEqualTo(EnterOutcome.NOT_READY);
    assertThat(queue.enter(f1).admitted()).isTrue();
  }

  @Test
  void aLaneOfPriorityZeroSharesTheGeneralLinesFifoOrder() {
    queue.configure(event, steady(1, 0.001, EventSettings.UNLIMITED).lane("general", 0).build());
    String a = join("a", "general");
    String b = join("b");
    String c = join("c", "general");

    assertThat(List.of(position(a), position(b), position(c))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aWaitingUserWhoJoinsAnotherLaneKeepsTheTicketTheyHold() {
    lanes();
    join("g1");
    String first = join("late", null);
    JoinResult again = queue.join(event, "late", "fanclub");

    assertThat(again.outcome()).isEqualTo(JoinOutcome.ALREADY_WAITING);
    assertThat(again.position()).isEqualTo(2);
    assertThat(position(first)).isEqualTo(2);
  }

  @Test
  void joiningALaneTheEventLacksIsRefusedAndChangesNothing() {
    lanes();
    join("g1");
    QueueStats before = queue.stats(event);

    assertThatThrownBy(() -> queue.join(event, "x", "vip")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("vip");

    QueueStats after = queue.stats(event);
    assertThat(after.waiting()).isEqualTo(before.waiting());
    assertThat(after.totalJoined()).isEqualTo(before.totalJoined());
  }

  @Test
  void joiningALaneOfAnEventThatDoesNotExistCreatesNothing() {
    assertThatThrownBy(() -> queue.join(event, "x", "fanclub")).isInstanceOf(InvalidInputException.class);

    assertThat(queue.stats(event).exists()).isFalse();
  }

  @Test
  void aNewEventTakesItsLanesFromTheDefaultSettings() {
    WaitingQueue laned = open(KEYS, EventSettings.builder().lane("fanclub", 3).build());

    laned.join(event, "g1");
    JoinResult f1 = laned.join(event, "f1", "fanclub");

    assertThat(f1.position()).isEqualTo(1);
    assertThat(laned.settings(event).orElseThrow().lanes()).containsExactly(java.util.Map.entry("fanclub", 3));
  }

  @Test
  void aMalformedLaneNameIsRefusedBeforeAnythingIsTouched() {
    lanes();
    for (String bad : List.of("", " ", "{fanclub}", "fan club", "-fan", "x".repeat(33))) {
      assertThatThrownBy(() -> queue.join(event, "u", bad)).as("lane '%s'", bad).isInstanceOf(InvalidInputException.class);
    }
    assertThat(queue.stats(event).waiting()).isZero();
  }

  @Test
  void lanesReadBackAsConfiguredHighestPriorityFirst() {
    lanes();

    assertThat(queue.settings(event).orElseThrow().lanes())
        .containsExactly(java.util.Map.entry("fanclub", 2), java.util.Map.entry("presale", 1));
  }

  @Test
  void removingALaneRefusesNewJoinersAndKeepsThoseWaitingInPlace() {
    lanes();
    String g1 = join("g1");
    String f1 = join("f1", "fanclub");

    queue.configure(event, steady(1, 0.001, EventSettings.UNLIMITED).build());

    assertThatThrownBy(() -> queue.join(event, "f2", "fanclub")).isInstanceOf(InvalidInputException.class);
    assertThat(List.of(position(f1), position(g1))).containsExactly(1L, 2L);
  }

  @Test
  void anIdleTicketInALaneIsEvictedLikeAnyOther() {
    queue.configure(event, steady(1, 0.001, EventSettings.UNLIMITED).idleTimeout(Duration.ofSeconds(2))
        .lane("fanclub", 2).build());
    String f1 = join("f1", "fanclub");
    String g1 = join("g1");
    String f2 = join("f2", "fanclub");
    for (int i = 0; i < 8; i++) {
      clock.advanceMillis(500);
      queue.status(g1);
      queue.status(f2);
    }
    queue.sweep(event);

    assertThat(queue.status(f1).state()).isEqualTo(TicketState.NOT_FOUND);
    assertThat(List.of(position(f2), position(g1))).containsExactly(1L, 2L);
  }

  @Test
  void thePreQueueIsDrawnWithinEachLaneAndEachLaneStaysAheadOfTheNext() {
    queue.configure(event, steady(1, 0.001, EventSettings.UNLIMITED).lane("fanclub", 2).build());
    queue.scheduleOpening(event, Instant.ofEpochMilli(clock.millis() + 10_000));
    Tokens tokens = new Tokens(KEYS);
    java.util.Map<Long, String> fans = new java.util.HashMap<>();
    java.util.Map<Long, String> general = new java.util.HashMap<>();
    for (int i = 0; i < 20; i++) {
      String fan = join("fan-" + i, "fanclub");
      fans.put(tokens.readWaitingToken(fan).sequence(), fan);
      String other = join("other-" + i);
      general.put(tokens.readWaitingToken(other).sequence(), other);
    }
    clock.advanceMillis(10_000);
    String late = join("late", "fanclub");
    String seed = queue.stats(event).drawSeed();

    List<Long> fanOrder = PrequeueDraw.order(seed, fans.keySet());
    List<Long> generalOrder = PrequeueDraw.order(seed, general.keySet());
    for (int i = 0; i < fanOrder.size(); i++) {
      assertThat(position(fans.get(fanOrder.get(i)))).as("fan place %d", i + 1).isEqualTo(i + 1);
    }
    assertThat(position(late)).as("a fan who joined after the opening").isEqualTo(21);
    for (int i = 0; i < generalOrder.size(); i++) {
      assertThat(position(general.get(generalOrder.get(i)))).as("general place %d", i + 1).isEqualTo(22 + i);
    }
  }

  // ---- the sale: inventory, sold out, one place per person ----

  /** A sale of {@code items}, admitting everyone at once, with the given per-user limit. */
  private void sale(int items, PerUserLimit limit) {
    queue.configure(event, steady(100, 100, EventSettings.UNLIMITED).inventory(items).perUserLimit(limit).build());
  }

  @Test
  void completingTheLastItemMakesTheEventSoldOutInTheSameCall() {
    sale(2, PerUserLimit.NONE);
    Reservation a = admit(join("a"));
    Reservation b = admit(join("b"));

    assertThat(queue.complete(a.token())).isTrue();
    assertThat(queue.stats(event).state()).isEqualTo(EventState.OPEN);
    assertThat(queue.stats(event).remainingItems()).hasValue(1);
    assertThat(queue.complete(b.token())).isTrue();

    assertThat(queue.stats(event).state()).isEqualTo(EventState.SOLD_OUT);
    assertThat(queue.stats(event).remainingItems()).hasValue(0);
    assertThat(queue.stats(event).inventory()).isEqualTo(2);
  }

  @Test
  void aSoldOutEventRefusesJoinsAndEntriesAndTellsWhoWaits() {
    sale(1, PerUserLimit.NONE);
    Reservation a = admit(join("a"));
    String waiting = join("w");
    queue.complete(a.token());

    assertThat(queue.status(waiting).state()).isEqualTo(TicketState.SOLD_OUT);
    assertThat(queue.status(waiting).nextPollAfter()).isZero();
    assertThat(queue.enter(waiting).outcome()).isEqualTo(EnterOutcome.SOLD_OUT);
    JoinResult newcomer = queue.join(event, "late");
    assertThat(newcomer.outcome()).isEqualTo(JoinOutcome.SOLD_OUT);
    assertThat(newcomer.waitingToken()).isNull();
    assertThat(newcomer.state()).isEqualTo(TicketState.SOLD_OUT);
    JoinResult again = queue.join(event, "w");
    assertThat(again.outcome()).isEqualTo(JoinOutcome.ALREADY_WAITING);
    assertThat(again.state()).isEqualTo(TicketState.SOLD_OUT);
    assertThat(queue.stats(event).totalJoined()).isEqualTo(2);
  }

  @Test
  void aHeldReservationCannotBeCompletedPastTheInventoryNorVerified() {
    sale(1, PerUserLimit.NONE);
    Reservation a = admit(join("a"));
    Reservation b = admit(join("b"));
    queue.complete(a.token());

    assertThatThrownBy(() -> queue.complete(b.token())).isInstanceOf(SoldOutException.class);
    assertThat(queue.verify(b.token())).isEmpty();
    assertThat(queue.stats(event).totalCompleted()).isEqualTo(1);
    assertThat(queue.stats(event).admitted()).as("the refused reservation is still held").isEqualTo(1);
    assertThat(queue.release(b.token())).isTrue();
  }

  @Test
  void raisingTheInventoryOpensASoldOutEventAgain() {
    sale(1, PerUserLimit.NONE);
    Reservation a = admit(join("a"));
    Reservation b = admit(join("b"));
    queue.complete(a.token());

    sale(2, PerUserLimit.NONE);

    assertThat(queue.stats(event).state()).isEqualTo(EventState.OPEN);
    assertThat(queue.verify(b.token())).isPresent();
    assertThat(queue.complete(b.token())).isTrue();
    assertThat(queue.stats(event).state()).isEqualTo(EventState.SOLD_OUT);
    sale(EventSettings.UNLIMITED, PerUserLimit.NONE);
    assertThat(queue.stats(event).state()).isEqualTo(EventState.OPEN);
    assertThat(queue.stats(event).remainingItems()).isEmpty();
  }

  @Test
  void loweringTheInventoryToWhatIsSoldMakesTheEventSoldOut() {
    sale(5, PerUserLimit.NONE);
    queue.complete(admit(join("a")).token());
    queue.complete(admit(join("b")).token());

    sale(2, PerUserLimit.NONE);

    assertThat(queue.stats(event).state()).isEqualTo(EventState.SOLD_OUT);
  }

  @Test
  void aSoldOutEventCanOnlyBeClosedUntilItsInventoryIsRaised() {
    sale(1, PerUserLimit.NONE);
    queue.complete(admit(join("a")).token());

    assertThatThrownBy(() -> queue.openEvent(event)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sold out");
    assertThatThrownBy(() -> queue.pauseEvent(event)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> queue.scheduleOpening(event, clock.instant().plusSeconds(60)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(queue.stats(event).state()).isEqualTo(EventState.SOLD_OUT);
    queue.closeEvent(event);
    assertThat(queue.stats(event).state()).isEqualTo(EventState.CLOSED);
  }

  @Test
  void aCompletionOfTheLastItemInAClosedEventLeavesItClosed() {
    sale(1, PerUserLimit.NONE);
    Reservation a = admit(join("a"));
    queue.closeEvent(event);

    assertThat(queue.complete(a.token())).isTrue();

    assertThat(queue.stats(event).state()).isEqualTo(EventState.CLOSED);
    assertThat(queue.stats(event).remainingItems()).hasValue(0);
  }

  @Test
  void withoutAPerUserLimitAnAdmittedUserMayJoinAgain() {
    sale(EventSettings.UNLIMITED, PerUserLimit.NONE);
    admit(join("alice"));

    assertThat(queue.join(event, "alice").outcome()).isEqualTo(JoinOutcome.JOINED);
  }

  @Test
  void underOneHeldAUserWhoHoldsAReservationCannotJoinUntilItEnds() {
    sale(EventSettings.UNLIMITED, PerUserLimit.ONE_HELD);
    Reservation held = admit(join("alice"));

    JoinResult refused = queue.join(event, "alice");
    assertThat(refused.outcome()).isEqualTo(JoinOutcome.HOLDS_RESERVATION);
    assertThat(refused.waitingToken()).isNull();
    assertThat(refused.state()).isEqualTo(TicketState.NOT_FOUND);
    assertThat(queue.stats(event).totalJoined()).as("no ticket was created").isEqualTo(1);

    queue.release(held.token());
    assertThat(queue.join(event, "alice").outcome()).isEqualTo(JoinOutcome.JOINED);
  }

  @Test
  void underOneHeldAUserWhoseReservationExpiredMayJoinAgain() {
    queue.configure(event, steady(100, 100, EventSettings.UNLIMITED).reservationTtl(Duration.ofSeconds(10))
        .perUserLimit(PerUserLimit.ONE_HELD).build());
    admit(join("alice"));
    clock.advance(Duration.ofSeconds(11));

    assertThat(queue.join(event, "alice").outcome()).isEqualTo(JoinOutcome.JOINED);
  }

  @Test
  void underOneHeldABuyerMayJoinAgainButNotUnderOnePurchase() {
    sale(EventSettings.UNLIMITED, PerUserLimit.ONE_HELD);
    queue.complete(admit(join("alice")).token());
    assertThat(queue.join(event, "alice").outcome()).isEqualTo(JoinOutcome.JOINED);

    sale(EventSettings.UNLIMITED, PerUserLimit.ONE_PURCHASE);
    queue.complete(admit(join("bob")).token());

    assertThat(queue.join(event, "bob").outcome()).isEqualTo(JoinOutcome.ALREADY_PURCHASED);
    assertThat(queue.join(event, "bob").waitingToken()).isNull();
  }

  @Test
  void underOnePurchaseAUserWhoReleasedMayJoinAgain() {
    sale(EventSettings.UNLIMITED, PerUserLimit.ONE_PURCHASE);
    queue.release(admit(join("alice")).token());

    assertThat(queue.join(event, "alice").outcome()).isEqualTo(JoinOutcome.JOINED);
  }

  @Test
  void concurrentJoinsOfAUserWhoHoldsAReservationAllFail() throws Exception {
    sale(EventSettings.UNLIMITED, PerUserLimit.ONE_HELD);
    admit(join("alice"));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<JoinResult>> joins = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        joins.add(pool.submit(() -> queue.join(event, "alice")));
      }
      for (java.util.concurrent.Future<JoinResult> f : joins) {
        assertThat(f.get().outcome()).isEqualTo(JoinOutcome.HOLDS_RESERVATION);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(queue.stats(event).waiting()).isZero();
  }

  // ---- dates ----

  @Test
  void openingsOutsideAHundredYearsOfNowAreRejectedAndCreateNothing() {
    for (Instant bad : List.of(Instant.MAX, Instant.MIN, Instant.ofEpochMilli(Long.MAX_VALUE),
        Instant.ofEpochMilli(Long.MIN_VALUE), clock.instant().plus(Duration.ofDays(36_600)),
        clock.instant().minus(Duration.ofDays(36_600)))) {
      assertThatThrownBy(() -> queue.scheduleOpening(event, bad)).as("%s", bad)
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("100 years");
    }
    assertThat(queue.stats(event).exists()).isFalse();
  }

  @Test
  void anOpeningNinetyNineYearsAheadReadsBackExactly() {
    Instant far = clock.instant().plus(Duration.ofDays(36_000)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

    queue.scheduleOpening(event, far);

    assertThat(queue.stats(event).scheduledOpening()).contains(far);
  }

  // ---- pacing ----

  @Test
  void aTicketFarBackIsToldToPollLessOftenThanOneNearTheHead() {
    queue.configure(event, steady(1, 1, EventSettings.UNLIMITED).idleTimeout(Duration.ofMinutes(10)).build());
    String head = join("head");
    String near = join("near");
    for (int i = 0; i < 200; i++) {
      join("u" + i);
    }
    String far = join("far");

    assertThat(queue.status(head).nextPollAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(queue.status(near).nextPollAfter()).isBetween(Duration.ofSeconds(1), Duration.ofMillis(2_400));
    assertThat(queue.status(far).nextPollAfter()).isGreaterThan(Duration.ofSeconds(30));
  }

  @Test
  void thePollingHintStaysWithinAQuarterOfTheIdleTimeout() {
    queue.configure(event, steady(1, 0.001, EventSettings.UNLIMITED).idleTimeout(Duration.ofSeconds(20)).build());
    join("head");
    List<String> behind = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      behind.add(join("u" + i));
    }

    for (String t : behind) {
      assertThat(queue.status(t).nextPollAfter()).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }
  }

  @Test
  void peopleWhoJoinedTogetherAreToldToPollAtSpreadTimes() {
    queue.configure(event, steady(1, 0.1, EventSettings.UNLIMITED).idleTimeout(Duration.ofHours(1)).build());
    join("head");
    Set<Duration> hints = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      String t = join("u" + i);
      clock.advanceMillis(0);
      hints.add(queue.status(t).nextPollAfter());
    }

    assertThat(hints).hasSizeGreaterThan(5);
  }

  @Test
  void aClosedEventTellsWaitersToStopPolling() {
    String a = join("a");
    queue.closeEvent(event);

    assertThat(queue.status(a).nextPollAfter()).isEqualTo(Duration.ZERO);
    assertThat(queue.status(a).state()).isEqualTo(TicketState.CLOSED);
  }

  // ---- ETA ----

  @Test
  void theEtaFollowsTheMeasuredAdmissionRateOnceThereIsData() {
    queue.configure(event, steady(1, 10, EventSettings.UNLIMITED).build());
    List<String> t = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      t.add(join("u" + i));
    }
    for (int i = 0; i < 10; i++) {
      if (i > 0) {
        clock.advanceMillis(2_000);
      }
      admit(t.get(i));
    }

    // ten admissions in 18 s: about 0.55 per second measured, against 10 configured
    double measured = queue.stats(event).measuredAdmissionRate();
    assertThat(measured).isBetween(0.45, 0.65);
    TicketStatus tenth = queue.status(t.get(19));
    assertThat(tenth.position()).isEqualTo(10);
    assertThat(tenth.etaSeconds()).isBetween(14L, 20L);
  }

  /**
   * Two events with the same history, one with a capacity of 10: 10 admitted at once, 5 of them released
   * one every 4 s, 5 more admitted (the bucket then empty in both, the capacity full in the first), and 5
   * waiting. Position 5 waits for 5 admissions at about 0.7 a second, and, where the capacity is full, for
   * 5 reservations to end at about 0.3 a second.
   */
  private long etaAtPositionFiveAfterReservationsEnded(String eventId, int capacity) {
    queue.configure(eventId, steady(15, 0.001, capacity).build());
    List<Reservation> held = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      held.add(admitted(eventId, "first-" + i));
    }
    for (int i = 0; i < 5; i++) {
      clock.advanceMillis(4_000);
      assertThat(queue.release(held.get(i).token())).isTrue();
    }
    for (int i = 0; i < 5; i++) {
      admitted(eventId, "second-" + i);
    }
    String last = null;
    for (int i = 0; i < 5; i++) {
      last = queue.join(eventId, "waiter-" + i).waitingToken();
    }
    TicketStatus status = queue.status(last);
    assertThat(status.position()).isEqualTo(5);
    return status.etaSeconds();
  }

  private Reservation admitted(String eventId, String user) {
    EnterResult result = queue.enter(queue.join(eventId, user).waitingToken());
    assertThat(result.outcome()).as("enter of " + user).isEqualTo(EnterOutcome.ADMITTED);
    return result.reservation().orElseThrow();
  }

  @Test
  void whenTheCapacityIsFullTheEtaAlsoWaitsForReservationsToEnd() {
    long unlimited = etaAtPositionFiveAfterReservationsEnded(newEventId(), EventSettings.UNLIMITED);
    long full = etaAtPositionFiveAfterReservationsEnded(event, 10);

    assertThat(unlimited).as("5 admissions at the measured rate").isBetween(6L, 9L);
    assertThat(full).as("5 reservations ending at their measured rate").isBetween(14L, 18L);
  }

  @Test
  void beforeFiveAdmissionsTheEtaUsesTheConfiguredRate() {
    queue.configure(event, steady(1, 4, EventSettings.UNLIMITED).build());
    List<String> t = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      t.add(join("u" + i));
    }
    admit(t.get(0));
    clock.advanceMillis(10_000);
    admit(t.get(1));

    assertThat(queue.stats(event).measuredAdmissionRate()).isZero();
    // position 8, allowance 0 right after an admission: 8 / 4 per second
    assertThat(queue.status(t.get(9)).etaSeconds()).isEqualTo(2);
  }

  @Test
  void whileNobodyIsAdmittedTheEtaStretchesDownToOnePercentOfTheConfiguredRate() {
    queue.configure(event, steady(1, 10, EventSettings.UNLIMITED).build());
    List<String> t = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      t.add(join("u" + i));
    }
    for (int i = 0; i < 10; i++) {
      clock.advanceMillis(1_000);
      admit(t.get(i));
    }
    long before = queue.status(t.get(19)).etaSeconds();

    clock.advanceMillis(120_000);
    queue.pauseEvent(event);

    TicketStatus paused = queue.status(t.get(19));
    assertThat(paused.state()).isEqualTo(TicketState.PAUSED);
    // position 10 with nothing admissible, at the floor of 0.1 per second
    assertThat(paused.etaSeconds()).isBetween(99L, 101L);
    assertThat(before).isLessThan(paused.etaSeconds());
  }

  @Test
  void theEtaSaysItComesFromTheConfiguredRateUntilFiveAdmissionsAndFromTheMeasuredRateAfter() {
    configure(5, 1, EventSettings.UNLIMITED);
    List<String> tokens = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tokens.add(join("u" + i));
    }
    String far = tokens.get(19);
    assertThat(queue.status(far).etaBasis()).isEqualTo(EtaBasis.CONFIGURED_RATE);
    assertThat(queue.status(tokens.get(0)).etaBasis()).as("ready: no ETA").isEqualTo(EtaBasis.NONE);

    for (int i = 0; i < 5; i++) {
      admit(tokens.get(i));
    }

    assertThat(queue.status(far).etaBasis()).isEqualTo(EtaBasis.MEASURED_RATE);
    queue.pauseEvent(event);
    assertThat(queue.status(far).etaBasis()).isEqualTo(EtaBasis.MEASURED_RATE);
    queue.closeEvent(event);
    assertThat(queue.status(far).etaBasis()).isEqualTo(EtaBasis.NONE);
  }

  @Test
  void aPrequeueTicketsEtaCountsDownToTheOpening() {
    queue.scheduleOpening(event, clock.instant().plusSeconds(90));

    TicketStatus early = queue.status(join("early"));

    assertThat(early.etaBasis()).isEqualTo(EtaBasis.OPENING);
    assertThat(early.etaSeconds()).isEqualTo(90);
  }

  // ---- audit trail ----

  @Test
  void theAuditTrailIsOffByDefault() {
    admit(join("a"));

    assertThat(queue.auditTrail(event, "0", 100)).isEmpty();
  }

  @Test
  void theAuditTrailRecordsEveryOutcomeInOrder() {
    queue.configure(event, steady(10, 10, EventSettings.UNLIMITED).auditTrail(true).build());
    String a = join("a");
    String b = join("b");
    join("c");
    Reservation r = admit(a);
    queue.leave(b);
    queue.release(r.token());
    queue.closeEvent(event);

    List<AuditEntry> all = queue.auditTrail(event, "0", 100);

    assertThat(all).extracting(AuditEntry::action).containsExactly(AuditAction.JOINED, AuditAction.JOINED,
        AuditAction.JOINED, AuditAction.ENTERED, AuditAction.LEFT, AuditAction.RELEASED, AuditAction.CLOSED);
    assertThat(all).extracting(AuditEntry::userId).containsExactly("a", "b", "c", "a", "b", "a", "");
    assertThat(all).extracting(AuditEntry::sequence).containsExactly(1L, 2L, 3L, 1L, 2L, 1L, 0L);
    assertThat(all).extracting(AuditEntry::at).allMatch(at -> at.equals(clock.instant()));
    List<AuditEntry> page = queue.auditTrail(event, all.get(1).id(), 2);
    assertThat(page).containsExactly(all.get(2), all.get(3));
  }

  @Test
  void evictionsAndExpiriesAreAudited() {
    queue.configure(event, abandonment(Duration.ofSeconds(10), Duration.ZERO).burst(5)
        .reservationTtl(Duration.ofSeconds(2)).auditTrail(true).build());
    admit(join("a"));
    join("ghost");
    sweepEvery(2_000, 16_000);

    List<AuditEntry> all = queue.auditTrail(event, "0", 100);

    assertThat(all).extracting(AuditEntry::action).contains(AuditAction.EVICTED, AuditAction.EXPIRED);
    AuditEntry expiry = all.stream().filter(e -> e.action() == AuditAction.EXPIRED).findFirst().orElseThrow();
    assertThat(expiry.sequence()).isEqualTo(1);
    assertThat(expiry.userId()).isEqualTo("a");
    assertThat(expiry.at()).isEqualTo(Instant.ofEpochMilli(TestClock.START_MILLIS + 2_000));
  }

  @Test
  void theAuditTrailKeepsAboutItsMaximumLength() {
    queue.configure(event, steady(10, 10, EventSettings.UNLIMITED).auditTrail(true).auditMaxLength(100).build());
    for (int i = 0; i < 1_000; i++) {
      join("u" + i);
    }

    List<AuditEntry> kept = queue.auditTrail(event, "0", 10_000);

    // Redis trims whole stream nodes (about 100 entries each), so a little more than the maximum may stay
    assertThat(kept.size()).isBetween(100, 300);
    assertThat(kept.get(kept.size() - 1).userId()).isEqualTo("u999");
  }

  @Test
  void badAuditQueriesAreRejected() {
    assertThatThrownBy(() -> queue.auditTrail(event, "x", 10)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> queue.auditTrail(event, null, 10)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> queue.auditTrail(event, "0", 0)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> queue.auditTrail("{x}", "0", 10)).isInstanceOf(InvalidInputException.class);
  }

  // ---- observability ----

  @Test
  void theListenerHearsEveryOutcome() {
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    QueueListener listener = new QueueListener() {
      @Override
      public void joined(String eventId, long position) {
        heard.add("joined " + position);
      }

      @Override
      public void entered(String eventId) {
        heard.add("entered");
      }

      @Override
      public void refused(String eventId, String reason) {
        heard.add("refused " + reason);
      }

      @Override
      public void left(String eventId) {
        heard.add("left");
      }

      @Override
      public void evicted(String eventId, long count) {
        heard.add("evicted " + count);
      }
    };
    WaitingQueue observed = newQueue(QueueConfig.builder().signingKeys(KEYS).clock(clock).listener(listener).build());
    try {
      observed.configure(event, abandonment(Duration.ofSeconds(10), Duration.ZERO).build());
      String a = observed.join(event, "a").waitingToken();
      String b = observed.join(event, "b").waitingToken();
      observed.join(event, "c");
      observed.enter(a);
      observed.enter(a);
      observed.enter(b);
      observed.leave(b);
      for (int i = 0; i < 8; i++) {
        clock.advanceMillis(2_000);
        observed.sweep(event);
      }

      assertThat(heard).containsExactly("joined 1", "joined 2", "joined 3", "entered", "refused NOT_READY",
          "left", "evicted 1");
    } finally {
      observed.close();
    }
  }

  @Test
  void aFailingListenerNeverFailsTheCall() {
    QueueListener broken = new QueueListener() {
      @Override
      public void joined(String eventId, long position) {
        throw new IllegalStateException("metrics backend down");
      }
    };
    WaitingQueue observed = newQueue(QueueConfig.builder().signingKeys(KEYS).clock(clock).listener(broken).build());
    try {
      assertThat(observed.join(event, "a").outcome()).isEqualTo(JoinOutcome.JOINED);
    } finally {
      observed.close();
    }
  }
}
