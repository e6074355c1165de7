package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.internal.QueueRules;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The edges of running on a real Redis: memory policies that evict, settings lost under a live line,
 * events that live for billions of joins, servers that refuse Redis Functions.
 */
class RedisEdgesTest {
  private static final SigningKeys KEYS = SigningKeys.ofText("t", "redis-edges-tests-secret-at-least-32-bytes");
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.ownServer().flushedBeforeEach();
  private final TestRedis redis = REDIS.server();
  private final UnifiedJedis client = REDIS.client();
  private final Jedis admin = REDIS.admin();
  private WaitingQueue queue;

  @BeforeEach
  void newQueue() {
    admin.configSet("maxmemory-policy", "noeviction");
    queue = build(client).build();
  }

  private static RedisWaitingQueue.Builder build(UnifiedJedis on) {
    return RedisWaitingQueue.builder(on).config(QueueConfig.builder().signingKeys(KEYS).build());
  }

  // ---- memory policy ----

  @Test
  void aPolicyThatEvictsAnyKeyRefusesTheBuildAndNamesThePolicy() {
    admin.configSet("maxmemory-policy", "allkeys-lru");

    assertThatThrownBy(() -> build(client).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("allkeys-lru")
        .hasMessageContaining("noeviction");
  }

  @Test
  void anEvictingPolicyIsOnlyLoggedWhenTheQueueIsToldNotToRefuse() {
    admin.configSet("maxmemory-policy", "allkeys-lfu");

    WaitingQueue tolerant = build(client).refuseEvictingMemoryPolicy(false).build();

    assertThat(tolerant.join("tolerated", "a").position()).isEqualTo(1);
  }

  @Test
  void volatilePoliciesNeverTouchTheQueuesKeysAndAreAccepted() {
    admin.configSet("maxmemory-policy", "volatile-lru");

    assertThat(build(client).build().join("volatile", "a").position()).isEqualTo(1);
  }

  @Test
  void aLineWhoseSettingsWereEvictedIsNeverSilentlyRecreated() {
    queue.configure("lost", EventSettings.builder().admissionRate(7).build());
    queue.join("lost", "a");
    queue.join("lost", "b");
    admin.del("wq:{lost}:meta");

    assertThatThrownBy(() -> queue.join("lost", "c")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without its settings");
    assertThatThrownBy(() -> queue.configure("lost", EventSettings.defaults()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> queue.openEvent("lost")).isInstanceOf(IllegalStateException.class);
    assertThat(admin.exists("wq:{lost}:meta")).isFalse();
    assertThat(admin.zcard("wq:{lost}:queue")).isEqualTo(2);
  }

  @Test
  void aPurgeClearsWhatIsLeftOfALostEventSoItCanStartAgain() {
    queue.join("lost", "a");
    admin.del("wq:{lost}:meta");

    assertThat(queue.purgeEvent("lost")).isTrue();

    assertThat(queue.join("lost", "a").position()).isEqualTo(1);
  }

  // ---- long-lived events ----

  @Test
  void memoryFollowsTheNumberWaitingNotTheLifetimeJoins() {
    queue.configure("young", EventSettings.defaults());
    queue.configure("old", EventSettings.defaults());
    admin.hset("wq:{old}:meta", "seq", Long.toString(400_000_000L));
    for (String event : List.of("young", "old")) {
      queue.status(queue.join(event, "a").waitingToken());
      queue.status(queue.join(event, "b").waitingToken());
    }

    long young = eventBytes("young");
    long old = eventBytes("old");

    assertThat(old).isLessThanOrEqualTo(young + 64);
    assertThat(old).isLessThan(4_096);
  }

  @Test
  void sequenceNumbersBeyondTwoToTheThirtyTwoWorkLikeTheFirst() {
    queue.configure("ancient", EventSettings.builder().idleTimeout(Duration.ofSeconds(10)).build());
    admin.hset("wq:{ancient}:meta", "seq", Long.toString(1L << 40));

    JoinResult a = queue.join("ancient", "a");
    JoinResult b = queue.join("ancient", "b");

    assertThat(queue.status(b.waitingToken()).position()).isEqualTo(2);
    assertThat(queue.leave(a.waitingToken())).isTrue();
    assertThat(queue.status(b.waitingToken()).position()).isEqualTo(1);
  }

  @Test
  void theLastSequenceNumberIsRefusedCleanlyAndWritesNothing() {
    queue.join("full", "a");
    admin.hset("wq:{full}:meta", "seq", Long.toString(QueueRules.MAX_SEQUENCE));
    var before = admin.hgetAll("wq:{full}:meta");

    assertThatThrownBy(() -> queue.join("full", "b")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("last sequence number");

    assertThat(admin.hgetAll("wq:{full}:meta")).isEqualTo(before);
    assertThat(admin.zcard("wq:{full}:queue")).isEqualTo(1);
  }

  @Test
  void theHighestSequenceNumberIsStillExact() {
    queue.join("edge", "a");
    admin.hset("wq:{edge}:meta", "seq", Long.toString(QueueRules.MAX_SEQUENCE - 1));

    JoinResult last = queue.join("edge", "b");

    assertThat(queue.status(last.waitingToken()).state()).isIn(TicketState.WAITING, TicketState.READY);
    assertThat(queue.status(last.waitingToken()).position()).isEqualTo(2);
  }

  // ---- sweeping ----

  @Test
  void theBackgroundSweeperEvictsTheAbandonedOfAQuietEventOnRedisTime() throws InterruptedException {
    try (WaitingQueue swept = build(client).backgroundSweep(Duration.ofMillis(200)).build()) {
      swept.configure("quiet", EventSettings.builder().idleTimeout(Duration.ofSeconds(2)).build());
      for (int i = 0; i < 50; i++) {
        swept.join("quiet", "ghost-" + i);
      }

      long deadline = System.currentTimeMillis() + 15_000;
      while (swept.stats("quiet").waiting() > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }

      assertThat(swept.stats("quiet").totalEvicted()).isEqualTo(50);
    }
  }

  @Test
  void aBackgroundSweepIntervalOutsideItsRangeIsRefused() {
    assertThatThrownBy(() -> build(client).backgroundSweep(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backgroundSweep");
    assertThatThrownBy(() -> build(client).backgroundSweep(null)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- functions and their fallback ----

  @Test
  void aServerWhoseAclForbidsFunctionsIsServedByEvalshaFromTheSameSources() {
    admin.aclSetUser("nofunctions", "on", ">secret-pass", "~*", "&*", "+@all", "-fcall", "-function");
    try (UnifiedJedis limited = RedisClient.builder().hostAndPort(new HostAndPort(redis.host(), redis.port()))
        .clientConfig(DefaultJedisClientConfig.builder().user("nofunctions").password("secret-pass").build()).build()) {
      RedisWaitingQueue scripted = build(limited).build();
      admin.configResetStat();

      String a = scripted.join("acl", "a").waitingToken();
      assertThat(scripted.status(a).position()).isEqualTo(1);
      assertThat(scripted.enter(a).admitted()).isTrue();

      assertThat(calls("evalsha") + calls("eval")).isGreaterThanOrEqualTo(3);
      assertThat(admin.functionList()).isEmpty();
    } finally {
      admin.aclDelUser("nofunctions");
    }
  }

  @Test
  void aQueueInFunctionsModeFailsClearlyWhereFunctionsAreForbidden() {
    admin.aclSetUser("nofcall", "on", ">secret-pass", "~*", "&*", "+@all", "-fcall", "-function");
    try (UnifiedJedis limited = RedisClient.builder().hostAndPort(new HostAndPort(redis.host(), redis.port()))
        .clientConfig(DefaultJedisClientConfig.builder().user("nofcall").password("secret-pass").build()).build()) {
      WaitingQueue strict = build(limited).scriptMode(RedisWaitingQueue.ScriptMode.FUNCTIONS).build();

      assertThatThrownBy(() -> strict.join("strict", "a")).hasMessageContaining("NOPERM");
    } finally {
      admin.aclDelUser("nofcall");
    }
  }

  @Test
  void theLibraryOfAnotherVersionOnTheNodeIsLeftAloneAndOursIsLoadedBesideIt() {
    admin.functionLoad("#!lua name=waitingqueue_0000old\nredis.register_function('wq_status_0000old', function() return 1 end)");

    assertThat(queue.join("beside", "a").position()).isEqualTo(1);

    assertThat(admin.functionList()).extracting(l -> l.getLibraryName())
        .contains("waitingqueue_0000old", ScriptLibrary.LIBRARY.libraryName());
  }

  private long eventBytes(String event) {
    long total = 0;
    for (String key : admin.keys("wq:{" + event + "}:*")) {
      Long bytes = admin.memoryUsage(key);
      total += bytes == null ? 0 : bytes;
    }
    return total;
  }

  private long calls(String command) {
    return TestRedis.calls(admin, command);
  }
}
