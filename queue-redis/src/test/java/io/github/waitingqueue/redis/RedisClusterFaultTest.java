package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.QueueUnavailableException;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.history.Call;
import io.github.waitingqueue.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Redis Cluster under change, each test on a fresh cluster of three masters with one replica each:
 * script caches flushed on every node, a live slot migration, and a master killed while traffic runs.
 */
class RedisClusterFaultTest {
  private static final Logger LOG = LoggerFactory.getLogger(RedisClusterFaultTest.class);
  private static final SigningKeys KEYS = SigningKeys.ofText("cluster", "cluster-fault-test-secret-32-bytes!!");
  private static final EventSettings SETTINGS = EventSettings.builder().admissionRate(200).burst(20).capacity(50)
      .reservationTtl(Duration.ofMinutes(30)).idleTimeout(Duration.ZERO).readyGrace(Duration.ZERO).build();

  private TestCluster cluster;
  private RedisClusterClient client;
  private RedisWaitingQueue queue;

  @BeforeEach
  void startCluster() {
    cluster = TestCluster.start();
    client = cluster.client();
    queue = RedisWaitingQueue.builder(client).config(QueueConfig.builder().signingKeys(KEYS).build()).build();
  }

  @AfterEach
  void stopCluster() {
    client.close();
    cluster.close();
  }

  private int slotOf(String event) {
    return JedisClusterCRC16.getSlot(queue.keysOf(event).get(0));
  }

  @Test
  void functionLibrariesFlushedOnEveryNodeAreReloadedWithoutAnyCallFailing() {
    Map<String, String> tokens = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      tokens.put("flush-" + i, queue.join("flush-" + i, "alice").waitingToken());
    }
    for (TestRedis master : cluster.masters()) { // a flush replicates; replicas refuse it themselves
      try (Jedis admin = TestCluster.admin(master)) {
        admin.functionFlush();
      }
    }

    for (Map.Entry<String, String> e : tokens.entrySet()) {
      assertThat(queue.status(e.getValue()).position()).isEqualTo(1);
      assertThat(queue.join(e.getKey(), "bob").position()).isEqualTo(2);
      assertThat(queue.enter(e.getValue()).admitted()).isTrue();
    }
    for (TestRedis master : cluster.masters()) {
      try (Jedis admin = TestCluster.admin(master)) {
        assertThat(admin.functionList(ScriptLibrary.LIBRARY.libraryName())).as("library loaded again on %s", master)
            .hasSize(1);
      }
    }
  }

  @Test
  void aLiveSlotMigrationLosesNoTicket() throws Exception {
    String event = "migrating";
    queue.configure(event, SETTINGS);
    int slot = slotOf(event);
    TestRedis source = cluster.masterOf(slot);
    TestRedis target = cluster.masters().stream().filter(m -> m != source).findFirst().orElseThrow();
    FaultTraffic traffic = FaultTraffic.start(queue, event, 4, Duration.ofSeconds(4));
    TestCluster.sleep(500);

    long began = System.nanoTime();
    List<String> moved = migrateSlot(slot, source, target, 150);
    long migrationMillis = (System.nanoTime() - began) / 1_000_000;
    History history = traffic.await();

    String summary = traffic.summary(history, "slot " + slot + " migrated key by key in " + migrationMillis + " ms");
    FaultTraffic.assertFailuresAreClear(history);
    List<String> reasons = new ArrayList<>();
    history.calls().stream().filter(c -> !c.ok()).forEach(c -> reasons.add(c.failure().getMessage()));
    LOG.info("migration failures by reason: {}", countByPrefix(reasons));
    try (Jedis admin = TestCluster.admin(target)) {
      for (String key : moved) {
        assertThat(admin.exists(key)).as("%s now on the target", key).isTrue();
      }
    }
    assertThat(cluster.masterOf(slot)).isSameAs(target);
    FaultTraffic.assertConsistent(queue, event);
    assertThat(FaultTraffic.lostAcknowledgedEffects(queue, history)).as("tickets lost; " + summary).isZero();
    assertThat(history.calls().stream().filter(c -> c.ok() && c.end() > began).count())
        .as("calls kept succeeding during and after the migration").isPositive();
  }

  @Test
  void aCallWhileAnEventsKeysAreSplitByAMigrationIsRefusedClearlyAndSucceedsOnceTheSlotHasMoved() {
    String event = "half-moved";
    String token = queue.join(event, "alice").waitingToken();
    int slot = slotOf(event);
    String s = Integer.toString(slot);
    TestRedis source = cluster.masterOf(slot);
    TestRedis target = cluster.masters().stream().filter(m -> m != source).findFirst().orElseThrow();
    try (Jedis src = TestCluster.admin(source); Jedis dst = TestCluster.admin(target)) {
      String targetId = dst.clusterMyId();
      TestCluster.command(dst, "CLUSTER", "SETSLOT", s, "IMPORTING", src.clusterMyId());
      TestCluster.command(src, "CLUSTER", "SETSLOT", s, "MIGRATING", targetId);
      TestCluster.command(src, "MIGRATE", "127.0.0.1", Integer.toString(target.port()), "", "0", "5000",
          "KEYS", queue.keysOf(event).get(0));

      assertThatThrownBy(() -> queue.status(token)).isInstanceOf(QueueUnavailableException.class)
          .hasMessageContaining("status.lua").hasMessageContaining("TRYAGAIN");

      for (String key : src.clusterGetKeysInSlot(slot, 100)) {
        TestCluster.command(src, "MIGRATE", "127.0.0.1", Integer.toString(target.port()), "", "0", "5000",
            "KEYS", key);
      }
      for (TestRedis master : cluster.masters()) {
        try (Jedis m = TestCluster.admin(master)) {
          TestCluster.command(m, "CLUSTER", "SETSLOT", s, "NODE", targetId);
        }
      }
    }
    assertThat(queue.status(token).position()).isEqualTo(1);
    assertThat(queue.join(event, "bob").position()).isEqualTo(2);
  }

  /** Moves a slot the way redis-cli --cluster reshard does, one key at a time, with pauses between. */
  private List<String> migrateSlot(int slot, TestRedis source, TestRedis target, long pauseMillis) {
    String s = Integer.toString(slot);
    List<String> moved = new ArrayList<>();
    try (Jedis src = TestCluster.admin(source); Jedis dst = TestCluster.admin(target)) {
      String sourceId = src.clusterMyId();
      String targetId = dst.clusterMyId();
      TestCluster.command(dst, "CLUSTER", "SETSLOT", s, "IMPORTING", sourceId);
      TestCluster.command(src, "CLUSTER", "SETSLOT", s, "MIGRATING", targetId);
      for (int round = 0; round < 100; round++) {
        List<String> keys = src.clusterGetKeysInSlot(slot, 1);
        if (keys.isEmpty()) {
          break;
        }
        TestCluster.command(src, "MIGRATE", "127.0.0.1", Integer.toString(target.port()), "", "0", "5000",
            "KEYS", keys.get(0));
        moved.add(keys.get(0));
        TestCluster.sleep(pauseMillis);
      }
      TestCluster.command(dst, "CLUSTER", "SETSLOT", s, "NODE", targetId);
      TestCluster.command(src, "CLUSTER", "SETSLOT", s, "NODE", targetId);
      for (TestRedis other : cluster.masters()) {
        try (Jedis o = TestCluster.admin(other)) {
          TestCluster.command(o, "CLUSTER", "SETSLOT", s, "NODE", targetId);
        }
      }
    }
    return moved;
  }

  @Test
  void killingAMasterPromotesItsReplicaAndTheQueueRecoversWithoutRestart() throws Exception {
    String event = "failover";
    queue.configure(event, SETTINGS);
    String early = queue.join(event, "early-bird").waitingToken();
    TestRedis master = cluster.masterOf(slotOf(event));
    // a client that gives up within a second, so that calls during the failover fail rather than wait it out
    RedisClusterClient impatient = cluster.client(500, 2, Duration.ofSeconds(1));
    RedisWaitingQueue impatientQueue = RedisWaitingQueue.builder(impatient)
        .config(QueueConfig.builder().signingKeys(KEYS).build()).build();
    FaultTraffic traffic = FaultTraffic.start(impatientQueue, event, 4, Duration.ofSeconds(6));
    TestCluster.sleep(1_000);

    long killedAt = System.nanoTime();
    master.process().destroyForcibly();
    TestCluster.awaitCondition(Duration.ofSeconds(20), () -> {
      try {
        return cluster.masterOf(slotOf(event)) != master;
      } catch (IllegalStateException notYet) {
        return false;
      }
    }, () -> "no replica was promoted");
    long promotedMillis = (System.nanoTime() - killedAt) / 1_000_000;
    long servingMillis = FaultTraffic.millisUntilServing(impatientQueue, event, Duration.ofSeconds(20))
        + promotedMillis;
    History history = traffic.await();

    traffic.summary(history, "master kill -9: replica promoted after " + promotedMillis + " ms, queue served again "
        + servingMillis + " ms after the kill");
    assertThat(history.failures()).as("calls failed while the slot had no master").isPositive();
    FaultTraffic.assertFailuresAreClear(history);
    FaultTraffic.assertConsistent(impatientQueue, event);
    long lost = FaultTraffic.lostAcknowledgedEffects(impatientQueue, history);
    LOG.info("failover lost {} acknowledged effects (asynchronous replication: see README, Deployment topologies)",
        lost);
    TicketStatus earlyBird = impatientQueue.status(early);
    assertThat(earlyBird.inLine()).as("a ticket replicated long before the kill survives").isTrue();
    assertThat(history.calls().stream().filter(c -> c.ok() && c.start() > killedAt + servingMillis * 1_000_000)
        .map(Call::kind).distinct()).as("every kind of call succeeds after the failover").hasSizeGreaterThan(3);
    impatient.close();
  }

  private static Map<String, Long> countByPrefix(List<String> messages) {
    Map<String, Long> counts = new HashMap<>();
    for (String m : messages) {
      String key = m.replaceAll("^.*?: ", "");
      key = key.length() > 40 ? key.substring(0, 40) : key;
      counts.merge(key, 1L, Long::sum);
    }
    return counts;
  }
}
