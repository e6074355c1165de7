package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.InvalidInputException;
import io.github.waitingqueue.InvalidTokenException;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.WaitingQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * Hostile input: random and mutated tokens and ids, each of which must get a typed rejection
 * ({@link InvalidInputException}, or {@link InvalidTokenException} for a non-blank token) before Redis is
 * touched: no script runs (Redis's own command statistics say so), and every key keeps its exact value.
 *
 * <p>What "foreign" means: a token this deployment did not sign. A token signed with another secret, or
 * with a key id no longer configured (a retired key that was dropped), is rejected. A genuine token of
 * another event of the same deployment is not foreign: the event id is inside the signed payload, so it
 * can only ever act on its own event, and it is answered for that event.
 */
class HostileInputTest {
  private static final byte[] SECRET = "hostile-input-secret-32-bytes-long!!".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OLD_SECRET = "the-old-secret-that-was-retired-and-dropped".getBytes(StandardCharsets.UTF_8);
  private static final int MUTATIONS = 4_000;

  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.ownServer();

  private static UnifiedJedis client;
  private static WaitingQueue queue;
  private static String waitingToken;
  private static String reservationToken;
  private static String otherEventToken;

  @BeforeAll
  static void seed(UnifiedJedis redisClient) {
    client = redisClient;
    queue = RedisWaitingQueue.builder(client)
        .config(QueueConfig.builder().signingKeys(SigningKeys.of("k2", SECRET)).build()).build();
    queue.configure("concert", EventSettings.builder().burst(1).admissionRate(0.001).build());
    reservationToken = queue.enter(queue.join("concert", "alice").waitingToken()).reservation().orElseThrow().token();
    waitingToken = queue.join("concert", "bob").waitingToken();
    queue.join("concert", "carol");
    otherEventToken = queue.join("festival", "bob").waitingToken();
  }

  /** Everything Redis holds, and how many scripts it has run. */
  private static Map<String, String> snapshot() {
    Map<String, String> state = new LinkedHashMap<>();
    try (Jedis admin = TestCluster.admin(REDIS.server())) {
      state.put("dbsize", Long.toString(admin.dbSize()));
      for (String key : admin.keys("*").stream().sorted().toList()) {
        state.put(key, Base64.getEncoder().encodeToString(admin.dump(key)));
      }
      String stats = admin.info("commandstats");
      state.put("scripts run", stats.lines().filter(l -> l.startsWith("cmdstat_eval")).toList().toString());
    }
    return state;
  }

  private static void assertRedisUntouchedBy(Runnable hostileCalls) {
    Map<String, String> before = snapshot();
    hostileCalls.run();
    assertThat(snapshot()).isEqualTo(before);
  }

  private static void assertTokenRejected(String token) {
    List<Consumer<String>> waitingCalls = List.of(queue::status, queue::enter, queue::leave);
    List<Consumer<String>> reservationCalls = List.of(queue::verify, queue::complete, queue::release);
    List<Consumer<String>> all = new ArrayList<>(waitingCalls);
    all.addAll(reservationCalls);
    for (Consumer<String> call : all) {
      try {
        call.accept(token);
        throw new AssertionError("accepted a hostile token: " + printable(token));
      } catch (InvalidTokenException expected) {
        // rejected as a token
      } catch (InvalidInputException expected) {
        assertThat(token == null || token.isBlank()).as("only null or blank is a plain InvalidInputException: %s",
            printable(token)).isTrue();
      }
    }
  }

  private static String printable(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(80).forEach(c -> b.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\u%04x", c)));
    return b + (s.length() > 80 ? "...(" + s.length() + " chars)" : "");
  }

  @Test
  void handPickedHostileTokensAreRejectedWithoutTouchingRedis() {
    List<String> tokens = new ArrayList<>(List.of("", " ", "\t\n", ".", "..", "a.b", "{concert}.x", "x".repeat(1025),
        "A".repeat(100_000), "é.ü", "\u0000.\u0000", "%s.%d", "]]--.'", "\\.\"", "nil.nil", "redis.call('FLUSHALL')",
        waitingToken + "=", waitingToken + ".", "." + waitingToken, waitingToken.replace('.', ','),
        waitingToken.replace('-', '+').replace('_', '/'), waitingToken + "\n", " " + waitingToken,
        waitingToken.toUpperCase(), waitingToken + waitingToken, new StringBuilder(waitingToken).reverse().toString()));
    tokens.add(null);
    // a rewrite that changed nothing (say, no '-' or '_' to replace) is the valid token itself: not hostile
    tokens.removeIf(t -> waitingToken.equals(t));
    assertRedisUntouchedBy(() -> tokens.forEach(HostileInputTest::assertTokenRejected));
  }

  @Test
  void everyTruncationOfAValidTokenIsRejected() {
    assertRedisUntouchedBy(() -> {
      for (String valid : List.of(waitingToken, reservationToken)) {
        for (int length = 0; length < valid.length(); length++) {
          assertTokenRejected(valid.substring(0, length));
          assertTokenRejected(valid.substring(length + 1));
        }
      }
    });
  }

  @Test
  void everySingleBitFlipOfTheSignatureOrPayloadIsRejected() {
    assertRedisUntouchedBy(() -> {
      for (String valid : List.of(waitingToken, reservationToken)) {
        String[] parts = valid.split("\\.");
        for (int part = 0; part < 2; part++) {
          byte[] bytes = Base64.getUrlDecoder().decode(parts[part]);
          for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(flipped);
            assertTokenRejected(part == 0 ? encoded + "." + parts[1] : parts[0] + "." + encoded);
          }
        }
      }
    });
  }

  @Test
  void randomMutationsOfValidTokensAreRejected() {
    Random random = new Random(42);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/{}%\u0000\u00e9\ud83d\ude00 ";
    assertRedisUntouchedBy(() -> {
      int tried = 0;
      while (tried < MUTATIONS) {
        String valid = random.nextBoolean() ? waitingToken : reservationToken;
        StringBuilder t = new StringBuilder(valid);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
          int at = random.nextInt(t.length());
          char c = alphabet.charAt(random.nextInt(alphabet.length()));
          switch (random.nextInt(4)) {
            case 0 -> t.setCharAt(at, c);
            case 1 -> t.insert(at, c);
            case 2 -> t.deleteCharAt(at);
            default -> t.append(t.substring(at));
          }
        }
        String mutated = t.toString();
        if (mutated.equals(waitingToken) || mutated.equals(reservationToken)) {
          continue;
        }
        assertTokenRejected(mutated);
        tried++;
      }
    });
  }

  @Test
  void randomGarbageOfEveryLengthIsRejected() {
    Random random = new Random(7);
    assertRedisUntouchedBy(() -> {
      for (int i = 0; i < 1_000; i++) {
        int length = random.nextInt(i % 10 == 0 ? 5_000 : 120);
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < length; j++) {
          s.append((char) random.nextInt(i % 2 == 0 ? 0x80 : 0xFFFF));
        }
        if (random.nextBoolean() && length > 2) {
          s.setCharAt(length / 2, '.');
        }
        assertTokenRejected(s.toString());
      }
    });
  }

  @Test
  void aTokenSignedWithADroppedRetiredKeyOrAnotherSecretIsForeignAndRejected() {
    WaitingQueue before = RedisWaitingQueue.builder(client)
        .config(QueueConfig.builder().signingKeys(SigningKeys.of("k1", OLD_SECRET)).build()).build();
    WaitingQueue otherDeployment = RedisWaitingQueue.builder(client)
        .config(QueueConfig.builder().signingKeys(SigningKeys.of("k2", OLD_SECRET)).build()).build();
    // issued by the old key (and by another deployment's secret under our key id) for the same ticket as ours
    io.github.waitingqueue.internal.Tokens oldKey = new io.github.waitingqueue.internal.Tokens(SigningKeys.of("k1", OLD_SECRET));
    io.github.waitingqueue.internal.Tokens otherSecret = new io.github.waitingqueue.internal.Tokens(SigningKeys.of("k2", OLD_SECRET));
    io.github.waitingqueue.internal.Ticket bob = new io.github.waitingqueue.internal.Tokens(SigningKeys.of("k2", SECRET))
        .readWaitingToken(waitingToken);
    assertRedisUntouchedBy(() -> {
      for (io.github.waitingqueue.internal.Tokens foreign : List.of(oldKey, otherSecret)) {
        assertTokenRejected(foreign.waitingToken(bob));
        assertTokenRejected(foreign.reservationToken(bob));
      }
    });
    assertThat(before).isNotNull();
    assertThat(otherDeployment).isNotNull();
  }

  @Test
  void aTokenOfAnotherEventActsOnlyOnItsOwnEvent() {
    assertThat(queue.status(otherEventToken).position()).as("bob is first at the festival").isEqualTo(1);
    assertThat(queue.status(waitingToken).position()).as("and still first in the concert's line").isEqualTo(1);
  }

  @Test
  void aWaitingTokenIsNotAReservationTokenAndViceVersa() {
    assertRedisUntouchedBy(() -> {
      for (Consumer<String> call : List.<Consumer<String>>of(queue::verify, queue::complete, queue::release)) {
        assertRejectedAsToken(() -> call.accept(waitingToken));
      }
      for (Consumer<String> call : List.<Consumer<String>>of(queue::status, queue::enter, queue::leave)) {
        assertRejectedAsToken(() -> call.accept(reservationToken));
      }
    });
  }

  private static void assertRejectedAsToken(Runnable call) {
    try {
      call.run();
      throw new AssertionError("a token of the wrong kind was accepted");
    } catch (InvalidTokenException expected) {
      // rejected
    }
  }

  @Test
  void invalidEventAndUserIdsAreRejectedWithoutTouchingRedis() {
    List<String> badEvents = new ArrayList<>(List.of("", " ", "{concert}", "con{cert", "concert}", "a".repeat(65),
        "é", "concert\n", "con cert", "\u0000", "%s", "concert/1", "\ud83d\ude00", "*", "con\tcert"));
    badEvents.add(null);
    List<String> badUsers = new ArrayList<>(List.of("", " ", "a b", "{u}", "u}", "x".repeat(129), "\u0000",
        "tab\t", "nl\n", "\u00a0", "\u2028", "\ufeff", "\ud800", "a\udc00", "\u007f", "\u0085"));
    badUsers.add(null);
    Random random = new Random(3);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(3) == 0 ? 129 + random.nextInt(500) : random.nextInt(20);
      for (int j = 0; j < length; j++) {
        s.append((char) random.nextInt(0x3000));
      }
      s.insert(random.nextInt(s.length() + 1), " {}\t\u0000\u00a0".charAt(random.nextInt(6)));
      badUsers.add(s.toString());
      badEvents.add(s.toString());
    }
    assertRedisUntouchedBy(() -> {
      for (String event : badEvents) {
        expectInvalidInput(() -> queue.join(event, "alice"), "event " + printable(event));
        expectInvalidInput(() -> queue.stats(event), "stats of " + printable(event));
        expectInvalidInput(() -> queue.settings(event), "settings of " + printable(event));
        expectInvalidInput(() -> queue.configure(event, EventSettings.defaults()), "configure " + printable(event));
      }
      for (String user : badUsers) {
        expectInvalidInput(() -> queue.join("concert", user), "user " + printable(user));
      }
      expectInvalidInput(() -> queue.configure("concert", null), "null settings");
    });
  }

  private static void expectInvalidInput(Runnable call, String what) {
    try {
      call.run();
      throw new AssertionError("accepted " + what);
    } catch (InvalidInputException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Test
  void userIdsFullOfLuaAndRedisSyntaxAreStoredVerbatimAndKeepTheirPlace() {
    List<String> users = List.of("%s", "%d%%", "']]--", "\"", "\\", "nil", "false", "0", "-1", "1e309", "redis.call",
        "*3$4", "$-1", "user:{", "é漢字😀", "a".repeat(128), "KEYS[1]", "ARGV", "\\x00", "[[", "#", "@", "..");
    users = users.stream().filter(u -> !u.contains("{")).toList();
    String event = "lua-syntax";
    List<JoinResult> joined = new ArrayList<>();
    for (String user : users) {
      joined.add(queue.join(event, user));
    }
    for (int i = 0; i < users.size(); i++) {
      assertThat(joined.get(i).position()).as("position of %s", users.get(i)).isEqualTo(i + 1);
      assertThat(queue.join(event, users.get(i)).waitingToken()).isEqualTo(joined.get(i).waitingToken());
    }
    assertThat(queue.leave(joined.get(0).waitingToken())).isTrue();
    assertThat(queue.status(joined.get(users.size() - 1).waitingToken()).position()).isEqualTo(users.size() - 1);
    assertThat(queue.stats(event).waiting()).isEqualTo(users.size() - 1);
  }
}
