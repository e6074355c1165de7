package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.history.History;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisSentinelClient;

/** Standalone Redis behind Sentinel: the master is killed while traffic runs, and the replica takes over. */
class RedisSentinelFailoverTest {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSentinelFailoverTest.class);

  @Test
  void killingTheMasterFailsOverToTheReplicaAndTheQueueRecoversWithoutRestart() throws Exception {
    try (TestSentinel deployment = TestSentinel.start(); RedisSentinelClient client = deployment.client(500)) {
      WaitingQueue queue = RedisWaitingQueue.builder(client).config(QueueConfig.builder()
          .signingKeys(SigningKeys.ofText("sentinel", "sentinel-failover-test-secret-32-bytes")).build()).build();
      queue.configure("sale", EventSettings.builder().admissionRate(200).burst(20).capacity(50)
          .reservationTtl(Duration.ofMinutes(30)).idleTimeout(Duration.ZERO).readyGrace(Duration.ZERO).build());
      String early = queue.join("sale", "early-bird").waitingToken();
      FaultTraffic traffic = FaultTraffic.start(queue, "sale", 4, Duration.ofSeconds(6));
      TestCluster.sleep(1_000);

      long killedAt = System.nanoTime();
      deployment.master().process().destroyForcibly();
      TestCluster.awaitCondition(Duration.ofSeconds(20),
          () -> deployment.currentMasterPort() == deployment.replica().port(), () -> "the Sentinel did not fail over");
      long promotedMillis = (System.nanoTime() - killedAt) / 1_000_000;
      long servingMillis = FaultTraffic.millisUntilServing(queue, "sale", Duration.ofSeconds(20)) + promotedMillis;
      History history = traffic.await();

      traffic.summary(history, "Sentinel failover: replica promoted after " + promotedMillis
          + " ms, queue served again " + servingMillis + " ms after the kill");
      assertThat(history.failures()).as("calls failed while there was no master").isPositive();
      FaultTraffic.assertFailuresAreClear(history);
      FaultTraffic.assertConsistent(queue, "sale");
      LOG.info("Sentinel failover lost {} acknowledged effects", FaultTraffic.lostAcknowledgedEffects(queue, history));
      assertThat(queue.status(early).inLine()).as("a ticket replicated long before the kill survives").isTrue();
      assertThat(client.getCurrentMaster().getPort()).isEqualTo(deployment.replica().port());
    }
  }
}
