package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.QueueUnavailableException;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.history.Call;
import io.github.waitingqueue.history.History;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Faults of a standalone Redis while traffic runs: restart, SCRIPT FLUSH, CLIENT KILL, DEBUG SLEEP past
 * the client timeout. In each, the calls that fail throw QueueUnavailableException (naming the script and
 * keeping Jedis's cause), no operation is left half done, and the same queue object serves again
 * afterwards without a restart.
 */
class RedisFaultTest {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisFaultTest.class);
  private static final SigningKeys KEYS = SigningKeys.ofText("fault", "fault-test-secret-of-at-least-32-bytes!!");
  private static final int CLIENT_TIMEOUT_MS = 400;
  private static final EventSettings SETTINGS = EventSettings.builder().admissionRate(200).burst(20).capacity(50)
      .reservationTtl(Duration.ofMinutes(30)).idleTimeout(Duration.ZERO).readyGrace(Duration.ZERO).build();

  private volatile TestRedis redis;
  private RedisClient client;
  private WaitingQueue queue;

  private void start(List<String> redisArguments) {
    redis = TestRedis.startLocal(redisArguments);
    client = RedisClient.builder().hostAndPort("127.0.0.1", redis.port())
        .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(CLIENT_TIMEOUT_MS).build()).build();
    queue = RedisWaitingQueue.builder(client).config(QueueConfig.builder().signingKeys(KEYS).build()).build();
    queue.configure("sale", SETTINGS);
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private Jedis admin() {
    return TestCluster.admin(redis);
  }

  @Test
  void aCrashAndRestartMidRunFailsCallsClearlyAndLosesNoAcknowledgedJoin() throws Exception {
    start(List.of("--appendonly", "yes", "--appendfsync", "always"));
    FaultTraffic traffic = FaultTraffic.start(queue, "sale", 4, Duration.ofSeconds(3));
    TestCluster.sleep(800);
    redis = redis.restart(true);
    long recovery = FaultTraffic.millisUntilServing(queue, "sale", Duration.ofSeconds(10));
    History history = traffic.await();

    traffic.summary(history, "kill -9 and restart (recovered " + recovery + " ms after the new process answered)");
    assertThat(history.failures()).as("calls failed while Redis was down").isPositive();
    FaultTraffic.assertFailuresAreClear(history);
    FaultTraffic.assertConsistent(queue, "sale");
    long acknowledgedJoins = history.calls().stream().filter(c -> c.ok() && c.kind() == Call.Kind.JOIN
        && ((JoinResult) c.result()).outcome() == io.github.waitingqueue.JoinOutcome.JOINED).count();
    assertThat(queue.stats("sale").totalJoined()).as("appendfsync always keeps every acknowledged join")
        .isGreaterThanOrEqualTo(acknowledgedJoins);
  }

  @Test
  void callsWhileRedisIsDownThrowQueueUnavailableAndTheQueueServesAgainAfterTheRestart() {
    start(List.of("--appendonly", "yes", "--appendfsync", "always"));
    String token = queue.join("sale", "alice").waitingToken();
    redis.process().destroy();
    TestCluster.awaitCondition(Duration.ofSeconds(5), () -> !redis.process().isAlive(), () -> "still alive");

    assertThatThrownBy(() -> queue.status(token)).isInstanceOf(QueueUnavailableException.class)
        .hasMessageContaining("status.lua");
    assertThatThrownBy(() -> queue.join("sale", "bob")).isInstanceOf(QueueUnavailableException.class);

    redis = redis.restart(false);
    assertThat(queue.status(token).position()).isEqualTo(1);
    assertThat(queue.join("sale", "bob").position()).isEqualTo(2);
  }

  /** A flush of what the queue runs, and the mode whose code it removes. */
  enum CodeFlush {
    SCRIPT_FLUSH(RedisWaitingQueue.ScriptMode.EVAL), FUNCTION_FLUSH(RedisWaitingQueue.ScriptMode.AUTO);

    final RedisWaitingQueue.ScriptMode mode;

    CodeFlush(RedisWaitingQueue.ScriptMode mode) {
      this.mode = mode;
    }

    void run(Jedis admin) {
      if (this == SCRIPT_FLUSH) {
        admin.scriptFlush();
      } else {
        admin.functionFlush();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(CodeFlush.class)
  void aFlushOfTheQueuesCodeMidRunIsInvisible(CodeFlush flush) throws Exception {
    start(List.of());
    queue = RedisWaitingQueue.builder(client).config(QueueConfig.builder().signingKeys(KEYS).build())
        .scriptMode(flush.mode).build();
    FaultTraffic traffic = FaultTraffic.start(queue, "sale", 4, Duration.ofSeconds(2));
    for (int i = 0; i < 10; i++) {
      TestCluster.sleep(150);
      try (Jedis admin = admin()) {
        flush.run(admin);
      }
    }
    History history = traffic.await();

    traffic.summary(history, "10 x " + flush);
    assertThat(history.failures()).as("missing code is loaded again by the call that finds it, never surfaced")
        .isZero();
    FaultTraffic.assertConsistent(queue, "sale");
  }

  @Test
  void anOutageLongerThanTheIdleTimeoutEvictsNobodyWhoPollsThroughIt() throws Exception {
    start(List.of("--enable-debug-command", "yes"));
    queue.configure("polled", EventSettings.builder().admissionRate(0.001).burst(1)
        .idleTimeout(Duration.ofSeconds(2)).readyGrace(Duration.ZERO).build());
    List<String> tokens = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      tokens.add(queue.join("polled", "user-" + i).waitingToken());
    }
    java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
    Thread poller = new Thread(() -> {
      while (polling.get()) {
        for (String token : tokens) {
          try {
            queue.status(token);
          } catch (QueueUnavailableException e) {
            failed.incrementAndGet(); // Redis is asleep: the user's page retries on its next poll
          }
        }
        TestCluster.sleep(200);
      }
    });
    poller.start();
    TestCluster.sleep(2_000);
    try (Jedis admin = admin()) {
      TestCluster.command(admin, "DEBUG", "SLEEP", "3.5"); // longer than the idle timeout
    } catch (RuntimeException e) {
      LOG.info("admin connection gave up during the sleep: {}", e.toString());
    }
    TestCluster.sleep(5_000);
    polling.set(false);
    poller.join();

    assertThat(failed.get()).as("polls failed during the outage").isPositive();
    assertThat(queue.stats("polled").totalEvicted()).isZero();
    assertThat(tokens).allSatisfy(t -> assertThat(queue.status(t).state()).isNotEqualTo(
        io.github.waitingqueue.TicketState.NOT_FOUND));
  }

  @Test
  void clientKillOfTheQueuesConnectionsFailsOnlyTheCallsInFlight() throws Exception {
    start(List.of());
    FaultTraffic traffic = FaultTraffic.start(queue, "sale", 4, Duration.ofSeconds(2));
    long killed = 0;
    for (int i = 0; i < 8; i++) {
      TestCluster.sleep(200);
      try (Jedis admin = admin()) {
        killed += admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.NORMAL)
            .skipMe(ClientKillParams.SkipMe.YES));
      }
    }
    long recovery = FaultTraffic.millisUntilServing(queue, "sale", Duration.ofSeconds(5));
    History history = traffic.await();

    traffic.summary(history, "8 x CLIENT KILL TYPE normal (" + killed + " connections killed, next call served after "
        + recovery + " ms)");
    assertThat(killed).isPositive();
    FaultTraffic.assertFailuresAreClear(history);
    FaultTraffic.assertConsistent(queue, "sale");
  }

  @Test
  void smallHistoriesStayLinearizableAcrossCrashesWithAppendFsyncAlways() throws Exception {
    start(List.of("--appendonly", "yes", "--appendfsync", "always"));
    long[] outcome = linearizableWhileRepeating(() -> redis = redis.restart(true), 250, "crashed", 40);
    LOG.info("kill -9 and restart every 250 ms: {} calls in 40 small histories, {} failed (outcome unknown), {} "
        + "crashes; every history linearizable", outcome[0], outcome[1], outcome[2]);
    assertThat(outcome[2]).as("crashes").isPositive();
  }

  @Test
  void smallHistoriesStayLinearizableWhileTheQueuesConnectionsAreKilled() throws Exception {
    start(List.of());
    java.util.concurrent.atomic.AtomicLong killed = new java.util.concurrent.atomic.AtomicLong();
    long[] outcome = linearizableWhileRepeating(() -> {
      try (Jedis admin = admin()) {
        killed.addAndGet(admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.NORMAL)
            .skipMe(ClientKillParams.SkipMe.YES)));
      }
    }, 10, "killed", 60);
    LOG.info("CLIENT KILL every 10 ms: {} calls in 60 small histories, {} failed (outcome unknown), {} connections "
        + "killed; every history linearizable", outcome[0], outcome[1], killed.get());
    assertThat(outcome[1]).as("calls failed while connections were killed").isPositive();
  }

  /**
   * Checks small histories for linearizability while a fault repeats in the background.
   *
   * @return calls checked, calls failed, faults injected
   */
  private long[] linearizableWhileRepeating(Runnable fault, long everyMillis, String prefix, int histories)
      throws Exception {
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicLong faults = new java.util.concurrent.atomic.AtomicLong();
    Thread injector = new Thread(() -> {
      while (running.get()) {
        TestCluster.sleep(everyMillis);
        fault.run();
        faults.incrementAndGet();
      }
    });
    long[] failures = {0};
    long calls;
    try {
      calls = io.github.waitingqueue.history.HistoryScenarios.smallHistoriesAreLinearizable(
          c -> RedisWaitingQueue.builder(client).config(c).build(), prefix, histories, injector::start, failures);
    } finally {
      running.set(false);
      if (injector.isAlive()) {
        injector.join();
      }
    }
    return new long[] {calls, failures[0], faults.get()};
  }

  @Test
  void aRedisSlowerThanTheClientTimeoutFailsCallsClearlyAndServesAgainAfter() throws Exception {
    start(List.of("--enable-debug-command", "yes"));
    FaultTraffic traffic = FaultTraffic.start(queue, "sale", 4, Duration.ofSeconds(3));
    TestCluster.sleep(500);
    long sleepStart = System.nanoTime();
    try (Jedis admin = admin()) {
      TestCluster.command(admin, "DEBUG", "SLEEP", "1");
    }
    FaultTraffic.millisUntilServing(queue, "sale", Duration.ofSeconds(5));
    long servedAgain = (System.nanoTime() - sleepStart) / 1_000_000;
    History history = traffic.await();

    traffic.summary(history, "DEBUG SLEEP 1 s with a " + CLIENT_TIMEOUT_MS + " ms client timeout (served again "
        + servedAgain + " ms after the sleep began)");
    assertThat(history.failures()).as("calls timed out during the sleep").isPositive();
    FaultTraffic.assertFailuresAreClear(history);
    assertThat(history.calls().stream().filter(c -> !c.ok()).map(c -> c.failure().getMessage()))
        .allSatisfy(m -> assertThat(m).containsIgnoringCase("timed out"));
    FaultTraffic.assertConsistent(queue, "sale");
  }
}
