package io.github.waitingqueue.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.WaitingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * The pieces that build Redis state, on a redis-server of their own: the pipelined loader must build what
 * the library's joins build, and the origin replica the three structures per user it stands for.
 */
class RedisPiecesTest {
  private static LocalRedis redis;
  private static Bench bench;

  @BeforeAll
  static void start() throws Exception {
    Cpus cpus = Cpus.choose(false);
    redis = LocalRedis.start(cpus);
    bench = new Bench(redis, cpus, Options.parse("--quick"), Environment.detect(redis, cpus));
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void loaderBuildsTheLineTheLibraryReads() {
    bench.load("loader-test", 500);

    try (RedisClient client = redis.client(1)) {
      WaitingQueue queue = bench.queue(client);
      assertThat(queue.stats("loader-test").waiting()).isEqualTo(500);
      assertThat(queue.status(bench.loadedToken("loader-test", 0)).position()).isEqualTo(1);
      assertThat(queue.status(bench.loadedToken("loader-test", 499)).position()).isEqualTo(500);
      assertThat(queue.join("loader-test", Users.id(250)).position()).isEqualTo(251);
      assertThat(queue.status(bench.loadedToken("loader-test", 10)).state()).isEqualTo(TicketState.READY);
    }
  }

  @Test
  void recordedJoinCallCarriesTheUserAndTheEventsKeys() {
    ScriptCall call = bench.joinCall("recorded");

    assertThat(call.args()).contains(Bench.PLACEHOLDER_USER);
    assertThat(call.keys()).allMatch(k -> k.contains("{recorded}"));
    assertThat(call.command()).isEqualTo(ScriptCall.FCALL);
    try (Jedis jedis = redis.admin()) {
      assertThat(jedis.functionList().stream().flatMap(l -> l.getFunctions().stream()).map(f -> f.get("name")))
          .contains(call.target());
      assertThat(jedis.keys("*{recording-recorded}*")).isEmpty();
    }
  }

  @Test
  void originReplicaAddsAStreamAndATokenKeyPerUserAndOneSortedSet() {
    try (Jedis jedis = redis.admin()) {
      long before = jedis.dbSize();
      OriginReplica.joinAll(jedis, "origin-test", 0, 10);

      assertThat(jedis.dbSize() - before).isEqualTo(21);
      assertThat(jedis.zcard(OriginReplica.waitingKey("origin-test"))).isEqualTo(10);
      assertThat(jedis.xlen(OriginReplica.streamKey("origin-test", Users.id(3)))).isEqualTo(1);
      assertThat(jedis.keys("origin:token:*")).hasSize(10);
    }
  }
}
