package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.history.Call;
import io.github.waitingqueue.history.History;
import io.github.waitingqueue.history.HistoryChecker;
import io.github.waitingqueue.history.HistoryScenarios;
import io.github.waitingqueue.history.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.args.ClientType;

/**
 * Concurrency histories through several queue objects with line mirrors on one event (as several
 * application instances would run), checked with the mirror's bound: every position a status reports is
 * the ticket's rank at some instant within [call start - bound, call end]. Also across faults: a flush of
 * the functions, killed connections, a crash and restart with AOF, and a purge and re-creation.
 */
class LineMirrorHistoryTest {
  private static final Logger LOG = LoggerFactory.getLogger(LineMirrorHistoryTest.class);
  /** Small, so that the head's headroom (2 x rate x bound + 10) leaves most of an 800-user line to the mirror. */
  private static final Duration BOUND = Duration.ofMillis(100);
  private static final int QUEUES = 3;

  private TestRedis redis;
  private final List<RedisClient> clients = new ArrayList<>();
  private final List<RedisWaitingQueue> queues = new ArrayList<>();
  private RedisWaitingQueue observer;

  private void start(List<String> redisArguments) {
    start(redisArguments, RedisWaitingQueue.ScriptMode.AUTO);
  }

  private void start(List<String> redisArguments, RedisWaitingQueue.ScriptMode mode) {
    redis = TestRedis.startLocal(redisArguments);
    for (int i = 0; i <= QUEUES; i++) {
      RedisClient client = RedisClient.builder().hostAndPort("127.0.0.1", redis.port())
          .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(1_000).build()).build();
      clients.add(client);
      RedisWaitingQueue.Builder builder = RedisWaitingQueue.builder(client)
          .config(QueueConfig.builder().signingKeys(HistoryScenarios.KEYS).build()).scriptMode(mode);
      if (i < QUEUES) {
        queues.add(builder.lineMirror(BOUND).build());
      } else {
        observer = builder.build();
      }
    }
  }

  @AfterEach
  void stop() {
    queues.forEach(RedisWaitingQueue::close);
    clients.forEach(RedisClient::close);
    if (redis != null) {
      redis.close();
    }
  }

  private long mirrored() {
    return queues.stream().mapToLong(RedisWaitingQueue::mirroredStatusCount).sum();
  }

  /** Half the joins of the history with lanes go to lanes ahead of the general line. */
  @ParameterizedTest(name = "lanes: {0}")
  @ValueSource(booleans = {false, true})
  void aStressHistoryThroughThreeMirroredQueueObjectsKeepsEveryInvariantWithinTheBound(boolean lanes) throws Exception {
    start(List.of());
    Duration duration = Duration.ofSeconds(Long.getLong("histories.seconds", 3));

    if (lanes) {
      HistoryScenarios.laneStressHistoryKeepsEveryInvariant(List.copyOf(queues), observer, "lanes", duration, BOUND);
    } else {
      HistoryScenarios.staleStatusStressHistoryKeepsEveryInvariant(List.copyOf(queues), observer, "stress", duration, BOUND);
    }

    assertThat(mirrored()).as("status calls the mirrors answered").isGreaterThan(100);
  }

  /** A fault injected while the history runs. */
  enum Fault {
    /** Of the queues' scripts, with the queues on EVALSHA. */
    SCRIPT_FLUSH,
    FUNCTION_FLUSH, CLIENT_KILL, CRASH_AND_RESTART_WITH_AOF
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void positionsStayWithinTheBoundAcrossAFault(Fault fault) throws Exception {
    start(List.of("--appendonly", "yes", "--appendfsync", "always"),
        fault == Fault.SCRIPT_FLUSH ? RedisWaitingQueue.ScriptMode.EVAL : RedisWaitingQueue.ScriptMode.AUTO);
    observer.configure("sale", HistoryScenarios.STRESS);
    AtomicBoolean done = new AtomicBoolean();
    Thread faults = new Thread(() -> {
      for (int i = 0; i < 4 && !done.get(); i++) {
        TestCluster.sleep(600);
        inject(fault);
      }
    });
    faults.start();
    History history = new Workload(12, 800, 0, Duration.ofSeconds(3), false, 5).run(List.copyOf(queues), "sale");
    done.set(true);
    faults.join();
    List<Call> calls = history.calls();

    List<String> violations = HistoryChecker.checkPositionsUnderFaults(calls, HistoryScenarios.STRESS, BOUND);

    LOG.info("mirrored history across {}: {} calls, {} failed, {} status calls answered by the mirrors", fault,
        calls.size(), history.failures(), mirrored());
    assertThat(violations).as("positions outside [start - bound, end] across " + fault).isEmpty();
    assertThat(mirrored()).as("status calls the mirrors answered").isGreaterThan(50);
  }

  private void inject(Fault fault) {
    switch (fault) {
      case SCRIPT_FLUSH:
        try (Jedis admin = TestCluster.admin(redis)) {
          admin.scriptFlush();
        }
        break;
      case FUNCTION_FLUSH:
        try (Jedis admin = TestCluster.admin(redis)) {
          admin.functionFlush();
        }
        break;
      case CLIENT_KILL:
        try (Jedis admin = TestCluster.admin(redis)) {
          admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.NORMAL).skipMe(ClientKillParams.SkipMe.YES));
        }
        break;
      default:
        redis = redis.restart(true);
    }
  }

  @Test
  void anEventPurgedAndCreatedAgainUnderPollingMirrorsNeverAnswersForTheOldLine() throws Exception {
    start(List.of());
    EventSettings settings = HistoryScenarios.STRESS;
    observer.configure("again", settings);
    List<String> old = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      old.add(observer.join("again", "old" + i).waitingToken());
    }
    for (RedisWaitingQueue q : queues) {
      q.status(old.get(299)); // each starts its mirror
    }
    TestCluster.sleep(500);
    long before = mirrored();
    for (RedisWaitingQueue q : queues) {
      assertThat(q.status(old.get(200)).position()).isEqualTo(201);
    }
    assertThat(mirrored()).isGreaterThan(before);

    observer.closeEvent("again");
    while (!observer.purgeEvent("again")) {
      // bounded steps
    }
    observer.configure("again", settings);
    List<String> fresh = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      fresh.add(observer.join("again", "new" + i).waitingToken());
    }

    // once the bound has passed since the purge, and after the mirrors had time to rebuild: old tokens are
    // never answered from a mirror (within the bound, a mirror may still show the line before the close)
    TestCluster.sleep(2 * BOUND.toMillis());
    for (int round = 0; round < 2; round++) {
      for (RedisWaitingQueue q : queues) {
        assertThat(q.status(old.get(200)).state()).isEqualTo(TicketState.NOT_FOUND);
        assertThat(q.status(fresh.get(200)).position()).isEqualTo(201);
      }
      TestCluster.sleep(500);
    }
  }
}
