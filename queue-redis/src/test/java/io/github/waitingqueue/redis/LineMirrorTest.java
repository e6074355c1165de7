package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.TestClock;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.internal.QueueRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/** What the line mirror promises beyond the contract: polls that cost Redis nothing, and how it stays current. */
class LineMirrorTest {
  private static final SigningKeys KEYS = SigningKeys.ofText("m", "line-mirror-tests-secret-of-32-bytes-or-more");
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.ownServer().flushedBeforeEach();
  private final UnifiedJedis client = REDIS.client();
  private final Jedis admin = REDIS.admin();
  private TestClock clock;
  private RedisWaitingQueue queue;
  private final String event = "mirror-" + System.nanoTime();
  private static final EventSettings SETTINGS = EventSettings.builder().admissionRate(1).burst(1)
      .idleTimeout(Duration.ofSeconds(60)).readyGrace(Duration.ZERO).build();
  private final List<String> tokens = new ArrayList<>();

  @BeforeEach
  void queueWithAMirror() {
    clock = new TestClock();
    queue = mirrored(Duration.ofSeconds(5));
    queue.configure(event, SETTINGS);
    for (int i = 0; i < 200; i++) {
      tokens.add(queue.join(event, "user" + i).waitingToken());
    }
  }

  @AfterEach
  void closeQueue() {
    queue.close();
  }

  private RedisWaitingQueue mirrored(Duration staleness) {
    return RedisWaitingQueue.builder(client).config(QueueConfig.builder().signingKeys(KEYS).clock(clock).build())
        .lineMirror(staleness).refreshMirrorsByHand().build();
  }

  /** The first poll of an event starts its mirror; once it has caught up, it answers. */
  private void mirrorReady() {
    queue.status(tokens.get(199));
    queue.refreshMirrors();
  }

  private long fcalls() {
    return TestRedis.calls(admin, "fcall");
  }

  @Test
  void aTicketFarFromTheHeadIsAnsweredWithoutCallingRedis() {
    mirrorReady();
    admin.configResetStat();

    for (int i = 0; i < 100; i++) {
      assertThat(queue.status(tokens.get(149)).position()).isEqualTo(150);
    }

    assertThat(fcalls()).isZero();
    assertThat(queue.mirroredStatusCount()).isGreaterThanOrEqualTo(100);
  }

  @Test
  void aMirroredAnswerIsWhatRedisWouldHaveSaid() {
    mirrorReady();
    TicketStatus mirrored = queue.status(tokens.get(99));
    RedisWaitingQueue plain = RedisWaitingQueue.builder(client)
        .config(QueueConfig.builder().signingKeys(KEYS).clock(clock).build()).build();

    assertThat(mirrored).isEqualTo(plain.status(tokens.get(99)));
  }

  @Test
  void aTicketWithinReachOfAdmissionIsAnsweredByRedis() {
    mirrorReady();
    admin.configResetStat();

    TicketStatus head = queue.status(tokens.get(0));

    assertThat(head.state()).isEqualTo(TicketState.READY);
    assertThat(fcalls()).isEqualTo(1);
  }

  @Test
  void positionsMoveUpOnceTheMirrorCatchesUpWithThoseWhoLeft() {
    mirrorReady();
    for (int i = 10; i < 20; i++) {
      queue.leave(tokens.get(i));
    }
    queue.refreshMirrors();
    admin.configResetStat();

    assertThat(queue.status(tokens.get(149)).position()).isEqualTo(140);
    assertThat(fcalls()).isZero();
  }

  @Test
  void newcomersAreKnownFromTheSequenceCounterAlone() {
    mirrorReady();
    String late = queue.join(event, "late").waitingToken();
    queue.refreshMirrors();
    admin.configResetStat();

    assertThat(queue.status(late).position()).isEqualTo(201);
    assertThat(fcalls()).isZero();
  }

  @Test
  void pollsAnsweredByTheMirrorKeepATicketFromIdleEviction() {
    mirrorReady();
    List<String> polled = tokens.subList(150, 200);
    String silent = tokens.get(149);
    for (int step = 0; step < 12; step++) { // 4 minutes, four idle timeouts
      clock.advance(Duration.ofSeconds(20));
      queue.refreshMirrors(); // catches up at the new time, and sends the heartbeats held
      for (String token : polled) {
        assertThat(queue.status(token).state()).isIn(TicketState.WAITING, TicketState.READY);
      }
      queue.sweep(event);
    }
    queue.refreshMirrors();

    // 50 polled at positions 1 to 50 in the end: those behind the allowance and its headroom (21) answered locally
    assertThat(queue.mirroredStatusCount()).isGreaterThanOrEqualTo(12 * 25);
    assertThat(queue.status(polled.get(49)).position()).isEqualTo(50);
    assertThat(queue.status(silent).state()).isEqualTo(TicketState.NOT_FOUND);
  }

  @Test
  void aMirrorThatFellBehindATrimmedFeedRebuildsAndAnswersRight() {
    mirrorReady();
    for (int i = 10; i < 20; i++) {
      queue.leave(tokens.get(i));
    }
    // as if the feed had been trimmed past the mirror's ordinal before it read these entries
    List<String> keys = queue.keysOf(event);
    client.ltrim(keys.get(6), 10, -1);
    client.hincrBy(keys.get(0), "fbase", 10);

    queue.refreshMirrors(); // sees the gap: rebuilds
    queue.refreshMirrors();
    admin.configResetStat();

    assertThat(queue.status(tokens.get(149)).position()).isEqualTo(140);
    assertThat(fcalls()).isZero();
  }

  @Test
  void aMirrorWhoseCountDiffersFromTheLineRebuilds() {
    mirrorReady();
    client.zrem(queue.keysOf(event).get(1), "user5"); // behind the library's back: no feed entry

    queue.refreshMirrors(); // the line has one ticket fewer than the mirror: rebuilds
    queue.refreshMirrors();
    admin.configResetStat();

    assertThat(queue.status(tokens.get(149)).position()).isEqualTo(149);
    assertThat(fcalls()).isZero();
  }

  @Test
  void anEventPurgedAndCreatedAgainIsMirroredAfresh() {
    mirrorReady();
    queue.closeEvent(event);
    while (!queue.purgeEvent(event)) {
      // bounded steps
    }
    clock.advance(Duration.ofSeconds(1));
    queue.configure(event, SETTINGS);
    List<String> again = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      again.add(queue.join(event, "other" + i).waitingToken());
    }
    queue.refreshMirrors();
    queue.refreshMirrors();

    assertThat(queue.status(tokens.get(50)).state()).isEqualTo(TicketState.NOT_FOUND);
    admin.configResetStat();
    assertThat(queue.status(again.get(50)).position()).isEqualTo(51);
    assertThat(fcalls()).isZero();
  }

  @Test
  void aPrequeueIsMirroredInTheOrderOfItsDrawOnceTheEventOpens() {
    String sale = "presale-" + System.nanoTime();
    queue.scheduleOpening(sale, clock.instant().plusSeconds(60));
    queue.configure(sale, SETTINGS);
    List<String> pre = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      pre.add(queue.join(sale, "fan" + i).waitingToken());
    }
    clock.advance(Duration.ofSeconds(61)); // opens: the draw's order takes effect
    String late = queue.join(sale, "late").waitingToken(); // a FIFO ticket behind the whole pre-queue
    RedisWaitingQueue plain = RedisWaitingQueue.builder(client)
        .config(QueueConfig.builder().signingKeys(KEYS).clock(clock).build()).build();
    queue.status(late);
    queue.refreshMirrors();
    List<TicketStatus> expected = new ArrayList<>();
    for (String token : pre) {
      expected.add(plain.status(token));
    }
    TicketStatus lateExpected = plain.status(late);
    queue.refreshMirrors();
    admin.configResetStat();
    long before = queue.mirroredStatusCount();

    List<TicketStatus> mirrored = new ArrayList<>();
    for (String token : pre) {
      mirrored.add(queue.status(token));
    }

    assertThat(mirrored).isEqualTo(expected);
    assertThat(queue.status(late)).isEqualTo(lateExpected);
    assertThat(lateExpected.position()).isEqualTo(301);
    // all but those within reach of the head (allowance 1, headroom 20) were answered locally
    assertThat(queue.mirroredStatusCount() - before).isGreaterThanOrEqualTo(280);
  }

  @Test
  void aStaleMirrorLeavesTheAnswerToRedis() {
    mirrorReady();
    clock.advance(Duration.ofSeconds(6)); // past the bound in the queue's clock, with no catch-up since
    admin.configResetStat();

    assertThat(queue.status(tokens.get(149)).position()).isEqualTo(150);
    assertThat(fcalls()).isEqualTo(1);
  }

  @Test
  void aPausedEventIsAnsweredByRedis() {
    mirrorReady();
    queue.pauseEvent(event);
    queue.refreshMirrors();
    admin.configResetStat();

    assertThat(queue.status(tokens.get(149)).state()).isEqualTo(TicketState.PAUSED);
    assertThat(fcalls()).isEqualTo(1);
  }

  /** The event's settings with lanes fanclub (priority 2) and presale (1). */
  private void withLanes() {
    queue.configure(event, SETTINGS.toBuilder().lane("fanclub", 2).lane("presale", 1).build());
  }

  private RedisWaitingQueue plain() {
    return RedisWaitingQueue.builder(client).config(QueueConfig.builder().signingKeys(KEYS).clock(clock).build()).build();
  }

  @Test
  void joinsToLanesReachTheMirrorThroughTheFeedAndMoveEveryoneBehind() {
    withLanes();
    mirrorReady();
    String fan = queue.join(event, "fan", "fanclub").waitingToken();
    String pre = queue.join(event, "pre", "presale").waitingToken();
    String late = queue.join(event, "late").waitingToken();
    queue.leave(tokens.get(10));
    queue.refreshMirrors();
    admin.configResetStat();

    assertThat(queue.status(tokens.get(149)).position()).isEqualTo(151); // two ahead in lanes, one left
    assertThat(queue.status(late).position()).isEqualTo(202);
    assertThat(fcalls()).isZero();
    RedisWaitingQueue plain = plain();
    assertThat(plain.status(fan).position()).isEqualTo(1);
    assertThat(plain.status(pre).position()).isEqualTo(2);
    assertThat(queue.status(tokens.get(149))).isEqualTo(plain.status(tokens.get(149)));
  }

  @Test
  void aMirrorBuiltOnALineWithLanesPlacesEachTicketInItsLane() {
    withLanes();
    List<String> fans = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      fans.add(queue.join(event, "fan" + i, "fanclub").waitingToken());
    }
    String pre = queue.join(event, "pre", "presale").waitingToken();
    mirrorReady();
    queue.leave(fans.get(0));
    queue.refreshMirrors();
    admin.configResetStat();

    assertThat(queue.status(fans.get(29)).position()).isEqualTo(29);
    assertThat(queue.status(pre).position()).isEqualTo(30);
    assertThat(queue.status(tokens.get(99)).position()).isEqualTo(130);
    assertThat(fcalls()).isZero();
  }

  @Test
  void aHeartbeatOfAnOldTicketNeverMovesTheUsersNewTicketInAHigherLane() {
    withLanes();
    mirrorReady();
    long joined = QueueRules.window(60_000, clock.millis());
    do { // a new heartbeat window the mirror sends as a score to write (the windows that wrap go another way)
      clock.advance(Duration.ofSeconds(10));
      queue.refreshMirrors(); // often enough that the feed does not lapse
    } while (QueueRules.window(60_000, clock.millis()) == joined
        || QueueRules.window(60_000, clock.millis()) < QueueRules.HB_WINDOWS);
    long answered = queue.mirroredStatusCount();
    assertThat(queue.status(tokens.get(150)).position()).isEqualTo(151);
    assertThat(queue.mirroredStatusCount()).as("answered by the mirror, which owes a heartbeat").isEqualTo(answered + 1);
    queue.leave(tokens.get(150));
    String again = queue.join(event, "user150", "fanclub").waitingToken();

    queue.refreshMirrors(); // sends the heartbeat of the old ticket, which must not touch the new one

    assertThat(plain().status(again).position()).isEqualTo(1);
    assertThat(queue.status(again).position()).isEqualTo(1);
  }
}
