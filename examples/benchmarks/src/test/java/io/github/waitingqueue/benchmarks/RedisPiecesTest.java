package io.github.waitingqueue.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.internal.QueueRules;
import io.github.waitingqueue.internal.Ticket;
import java.util.List;
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
  void everyVariantOfTheLibrarysCodeLoadsAndTheProbesAnswer() {
    bench.load("probes-test", 40);
    String token = bench.loadedToken("probes-test", 4);
    ScriptCall status = bench.record(io.github.waitingqueue.redis.RedisWaitingQueue.ScriptMode.AUTO, q -> q.status(token));
    String version = status.target().substring(status.target().lastIndexOf('_') + 1);
    ScriptCall join = bench.joinCall("probes-test");
    try (Jedis jedis = redis.admin()) {
      String code = jedis.functionListWithCode("waitingqueue_" + version).get(0).getLibraryCode();
      int i = 0;
      assertThat(Costs.applies(code, Costs.VARIANTS.get(0).cuts())).isTrue(); // the library itself, uncut
      for (Costs.Variant v : Costs.VARIANTS) { // every variant's cuts find their text, and the variant loads and runs
        assertThat(Costs.applies(code, v.cuts())).as("the cuts of variant %s find their text", v.name()).isTrue();
        jedis.functionLoadReplace(Costs.variant(code, version, "t" + i, v.cuts()));
        assertThat(status.toFunction("wq_status_t" + i).send(jedis)).isInstanceOf(List.class);
        assertThat((List<?>) join.withArg(Bench.PLACEHOLDER_USER, "joiner-" + i).toFunction("wq_join_t" + i).send(jedis))
            .first().isEqualTo((long) io.github.waitingqueue.JoinOutcome.JOINED.ordinal());
        // each variant admits a user of its own, through its whole admission path
        assertThat((List<?>) status.withArg(Users.id(4), Users.id(10 + i)).withArg("5", Long.toString(11 + i))
            .toFunction("wq_enter_t" + i++).send(jedis)).first()
            .isEqualTo((long) io.github.waitingqueue.EnterOutcome.ADMITTED.ordinal());
      }
      assertThat(Costs.applies(code, Costs.BULK_EVICT)).as("the bulk-eviction cuts find their text").isTrue();
      jedis.functionLoadReplace(Costs.variant(code, version, "tbulk", Costs.BULK_EVICT)); // the sweep variant loads
      Probes.load(jedis);
      assertThat((List<?>) Probes.call(Probes.FLOOR, status).send(jedis)).hasSize(2).element(1).isEqualTo(4L);
      assertThat(Probes.evalCall(jedis, "wqbench_noop", status).send(jedis)).isEqualTo(0L);
    }
  }

  @Test
  void scoresWrittenDirectlyReadAsTheLibrarysTickets() {
    try (RedisClient client = redis.client(1); Jedis jedis = redis.admin()) {
      var queue = bench.queue(client);
      queue.configure("direct", Bench.SETTINGS);
      String line = queue.keysOf("direct").get(1);
      long now = Abandonment.redisMillis(jedis);
      Abandonment.writeScores(jedis, line, 3, i -> true, QueueRules.window(86_400_000, now), false);
      Abandonment.writeScores(jedis, line, 3, i -> i == 1, QueueRules.window(86_400_000, now), true);

      assertThat(queue.status(bench.tokens.waitingToken(new Ticket("direct", Users.id(2), 3))).position()).isEqualTo(3);
      assertThat(jedis.zcard(line)).isEqualTo(3);
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
