package io.github.waitingqueue.redis;

import java.util.List;

/**
 * The Redis keys of one event. Every key carries the hash tag {@code {eventId}}, so an event lives in
 * one cluster slot and every script touches one slot.
 */
final class EventKeys {
  private EventKeys() {}

  /** The KEYS list every operation script receives, in the order common.lua documents. */
  static List<String> of(String prefix, String eventId) {
    String base = prefix + "{" + eventId + "}:";
    return List.of(base + "meta", base + "queue", base + "leases", base + "joined", base + "ready", base + "audit",
        base + "feed", base + "holders");
  }
}
