package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

/** Every key of an event maps to one cluster slot, so each script touches one slot of one shard. */
class EventKeysSlotTest {
  private static final String ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-";

  @Test
  void everyKeyOfAnEventHasTheSlotOfTheEventIdAlone() {
    for (String prefix : List.of("", "wq:", "a", "shop.prod:queue-", "x".repeat(32))) {
      for (String eventId : eventIds()) {
        List<String> keys = EventKeys.of(prefix, eventId);
        int expected = JedisClusterCRC16.getSlot(eventId);
        assertThat(keys).as("keys of %s with prefix '%s'", eventId, prefix)
            .allSatisfy(key -> assertThat(JedisClusterCRC16.getSlot(key)).isEqualTo(expected));
      }
    }
  }

  @Test
  void theHashTagIsTheFirstBracedPartOfEveryKey() {
    for (String eventId : eventIds()) {
      for (String key : EventKeys.of("wq:", eventId)) {
        int open = key.indexOf('{');
        int close = key.indexOf('}', open + 1);
        assertThat(key.substring(open + 1, close)).isEqualTo(eventId);
      }
    }
  }

  private static List<String> eventIds() {
    List<String> ids = new ArrayList<>(List.of("a", "concert-2026", "ev.1:2_3-4", ALLOWED.substring(0, 64),
        "::", "...", "-", "0".repeat(64)));
    Random random = new Random(4);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder id = new StringBuilder();
      int length = 1 + random.nextInt(64);
      for (int j = 0; j < length; j++) {
        id.append(ALLOWED.charAt(random.nextInt(ALLOWED.length())));
      }
      ids.add(id.toString());
    }
    return ids;
  }
}
