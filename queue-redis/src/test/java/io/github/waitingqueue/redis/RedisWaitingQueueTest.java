package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.InvalidInputException;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.QueueUnavailableException;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.WaitingQueue;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;

/** What only the Redis implementation promises: round trips, scripts, keys, server time, failures. */
class RedisWaitingQueueTest {
  private static final SigningKeys KEYS = SigningKeys.ofText("t", "redis-specific-tests-secret-32-bytes-long");
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.ownServer().flushedBeforeEach();
  private final UnifiedJedis client = REDIS.client();
  /** A plain connection for server commands (INFO, CONFIG RESETSTAT, TIME) the unified client lacks. */
  private final Jedis admin = REDIS.admin();
  private WaitingQueue queue;

  @BeforeEach
  void newQueue() {
    queue = RedisWaitingQueue.builder(client).config(QueueConfig.builder().signingKeys(KEYS).build()).build();
  }

  @Test
  void everyOperationIsExactlyOneFcallOnceTheLibraryIsLoaded() {
    runEveryOperation("warm-up");
    admin.configResetStat();

    runEveryOperation("ev");

    assertThat(calls("fcall")).isEqualTo(8);
    assertThat(calls("evalsha") + calls("eval") + calls("function\\|load")).isZero();
    // Commands a function runs are counted too (cmdstat_zscore...), so top-level round trips are the FCALLs.
  }

  @Test
  void inEvalModeEveryOperationIsExactlyOneEvalshaOnceScriptsAreCached() {
    WaitingQueue scripted = RedisWaitingQueue.builder(client).config(QueueConfig.builder().signingKeys(KEYS).build())
        .scriptMode(RedisWaitingQueue.ScriptMode.EVAL).build();
    queue = scripted;
    runEveryOperation("warm-up");
    admin.configResetStat();

    runEveryOperation("ev");

    assertThat(calls("evalsha")).isEqualTo(8);
    assertThat(calls("eval") + calls("fcall")).isZero();
  }

  /** Eight calls, one of each script. */
  private void runEveryOperation(String event) {
    String a = queue.join(event, "a").waitingToken();
    String b = queue.join(event, "b").waitingToken();
    queue.status(a);
    Reservation r = queue.enter(a).reservation().orElseThrow();
    queue.leave(b);
    queue.verify(r.token());
    queue.complete(r.token());
    queue.stats(event);
  }

  @Test
  void afterFunctionFlushTheNextCallLoadsTheLibraryOnceAndCarriesOn() {
    String a = queue.join("ev", "a").waitingToken();
    admin.functionFlush();
    admin.configResetStat();

    assertThat(queue.status(a).position()).isEqualTo(1);
    assertThat(queue.status(a).position()).isEqualTo(1);

    assertThat(calls("function\\|load")).isEqualTo(1);
    assertThat(calls("eval") + calls("evalsha")).isZero();
  }

  @Test
  void inEvalModeAfterScriptFlushTheNextCallReloadsTheScriptAndCarriesOn() {
    queue = RedisWaitingQueue.builder(client).config(QueueConfig.builder().signingKeys(KEYS).build())
        .scriptMode(RedisWaitingQueue.ScriptMode.EVAL).build();
    String a = queue.join("ev", "a").waitingToken();
    admin.scriptFlush();
    admin.configResetStat();

    assertThat(queue.status(a).position()).isEqualTo(1);
    assertThat(queue.status(a).position()).isEqualTo(1);

    assertThat(calls("eval")).isEqualTo(1);
    assertThat(calls("evalsha")).isEqualTo(2);
  }

  @Test
  void aWaitingTicketsStatusBehindAFullCapacityCountsTheHeldReservationsOnce() {
    queue.configure("capped", EventSettings.builder().admissionRate(1_000).burst(1_000).capacity(3).build());
    // five reservations ended, so the ETA weighs the capacity as well as the allowance; then three held
    for (int i = 0; i < 5; i++) {
      queue.release(admit("capped", "ended-" + i).token());
    }
    for (int i = 0; i < 3; i++) {
      admit("capped", "holder-" + i);
    }
    queue.join("capped", "ahead");
    String waiting = queue.join("capped", "waiting").waitingToken();
    admin.configResetStat();

    TicketStatus status = queue.status(waiting);

    assertThat(status.state()).isEqualTo(TicketState.WAITING);
    assertThat(status.position()).isEqualTo(2);
    assertThat(calls("zcount")).isEqualTo(1);
  }

  private Reservation admit(String event, String user) {
    return queue.enter(queue.join(event, user).waitingToken()).reservation().orElseThrow();
  }

  @Test
  void anEventHasNoPerUserKeys() {
    for (int i = 0; i < 1_000; i++) {
      queue.status(queue.join("crowd", "user-" + i).waitingToken());
    }
    queue.enter(queue.join("crowd", "user-0").waitingToken());

    Set<String> keys = Set.copyOf(admin.scan("0", new ScanParams().count(10_000)).getResult());

    // a fixed set of keys per event, whatever the number of users: never one per user
    assertThat(((RedisWaitingQueue) queue).keysOf("crowd")).containsAll(keys);
    assertThat(keys).contains("wq:{crowd}:meta", "wq:{crowd}:queue", "wq:{crowd}:leases");
  }

  @Test
  void aPurgedEventLeavesNoKeyBehind() {
    EventSettings audited = EventSettings.builder().auditTrail(true).build();
    queue.configure("gone", audited);
    for (int i = 0; i < 1_500; i++) {
      queue.status(queue.join("gone", "u" + i).waitingToken());
    }
    queue.enter(queue.join("gone", "u0").waitingToken());
    queue.closeEvent("gone");

    while (!queue.purgeEvent("gone")) {
      assertThat(admin.dbSize()).isPositive();
    }

    assertThat(admin.dbSize()).isZero();
  }

  @Test
  void theKeyPrefixPrecedesTheHashTag() {
    WaitingQueue prefixed = RedisWaitingQueue.builder(client).config(QueueConfig.builder().signingKeys(KEYS).build())
        .keyPrefix("shop:q:").build();

    prefixed.join("ev", "a");

    assertThat(admin.exists("shop:q:{ev}:queue")).isTrue();
    assertThat(admin.exists("wq:{ev}:queue")).isFalse();
  }

  @Test
  void keyPrefixesThatWouldBreakTheHashTagAreRefused() {
    RedisWaitingQueue.Builder builder = RedisWaitingQueue.builder(client);
    for (String bad : new String[] {"{x}", "a}", "has space", "x".repeat(33)}) {
      assertThatThrownBy(() -> builder.keyPrefix(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> builder.keyPrefix(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutATestClockTimeComesFromTheRedisServer() {
    String a = queue.join("ev", "a").waitingToken();
    List<String> before = admin.time();

    EnterResult r = queue.enter(a);

    long serverMillis = Long.parseLong(before.get(0)) * 1000 + Long.parseLong(before.get(1)) / 1000;
    long expiry = r.reservation().orElseThrow().expiresAt().toEpochMilli();
    assertThat(expiry - 5 * 60 * 1000).isBetween(serverMillis, serverMillis + 5_000);
  }

  @Test
  void badInputNeverReachesRedis() {
    String valid = queue.join("ev", "a").waitingToken();
    admin.configResetStat();
    long keysBefore = admin.dbSize();

    assertThatThrownBy(() -> queue.join("{ev}", "a")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> queue.join("ev", "")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> queue.status(valid + "x")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> queue.enter("not-a-token")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> queue.release(valid)).isInstanceOf(InvalidInputException.class);

    assertThat(totalCommands()).isZero();
    assertThat(admin.dbSize()).isEqualTo(keysBefore);
  }

  @Test
  void anUnreachableRedisIsAQueueUnavailableException() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (UnifiedJedis nowhere = RedisClient.create("127.0.0.1", closedPort)) {
      WaitingQueue q = RedisWaitingQueue.builder(nowhere).config(QueueConfig.builder().signingKeys(KEYS).build()).build();

      assertThatThrownBy(() -> q.join("ev", "a")).isInstanceOf(QueueUnavailableException.class)
          .hasMessageContaining("join.lua");
    }
  }

  @Test
  void everyScriptIsHeadedByItsKeysArgvAndReply() throws IOException {
    for (String name : List.of("join.lua", "status.lua", "enter.lua", "leave.lua", "verify.lua",
        "end_reservation.lua", "stats.lua", "configure.lua", "lifecycle.lua", "sweep.lua", "purge.lua", "audit.lua")) {
      String header = header(name);
      assertThat(header).as(name).contains("KEYS").contains("ARGV").contains("Reply");
    }
  }

  @Test
  void closeLeavesTheCallersClientOpenUnlessTold() {
    queue.close();
    assertThat(client.ping()).isEqualTo("PONG");

    UnifiedJedis own = REDIS.server().client();
    RedisWaitingQueue.builder(own).config(QueueConfig.builder().signingKeys(KEYS).build())
        .closeClientOnClose(true).build().close();
    assertThatThrownBy(own::ping).isInstanceOf(RuntimeException.class);
  }

  private static String header(String name) throws IOException {
    try (InputStream in = RedisWaitingQueue.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      StringBuilder header = new StringBuilder();
      for (String line : text.split("\n")) {
        if (!line.startsWith("--")) {
          break;
        }
        header.append(line).append('\n');
      }
      return header.toString();
    }
  }

  private long calls(String command) {
    return TestRedis.calls(admin, command);
  }

  /** Commands other than the INFO and CONFIG calls this test makes itself. */
  private long totalCommands() {
    Matcher m = Pattern.compile("cmdstat_([a-z|_]+):calls=(\\d+)").matcher(admin.info("commandstats"));
    long total = 0;
    while (m.find()) {
      if (!m.group(1).startsWith("info") && !m.group(1).startsWith("config") && !m.group(1).startsWith("dbsize")) {
        total += Long.parseLong(m.group(2));
      }
    }
    return total;
  }
}
