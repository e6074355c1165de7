package io.github.waitingqueue.examples.server;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.QueueListener;
import io.github.waitingqueue.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code waitingqueue.*} properties of {@code application.yml}: what the {@code WaitingQueue} bean is
 * built from. Every value is checked when the application starts; a bad one stops it with an
 * {@link InvalidQueuePropertyException} that names the property.
 *
 * <pre>
 * waitingqueue:
 *   redis:
 *     url: redis://localhost:6379      # ignored when the context has a UnifiedJedis bean
 *     pool-size: 64
 *     fallback-to-memory: true         # no Redis at start: the in-memory queue (one process only)
 *   key-prefix: "wq:"
 *   line-mirror: 1s                    # unset (the default): every status poll asks Redis
 *   signing:
 *     keys:                            # the first signs; the others still verify (rotation)
 *       - id: k2
 *         secret: ${QUEUE_SECRET}
 *       - id: k1
 *         secret: ${QUEUE_SECRET_PREVIOUS}
 *     development-mode: false          # true and no keys: the library's public development key
 *   default-event:
 *     admission-rate: 5
 *     burst: 10
 *     capacity: 0                      # 0 = unlimited
 *     reservation-ttl: 5m
 *     idle-timeout: 3m
 *     ready-grace: 60s
 * </pre>
 *
 * @param redis where Redis is, and what to do when it does not answer
 * @param keyPrefix prefix of every Redis key the queue writes
 * @param signing the token signing keys
 * @param defaultEvent the settings an event gets on its first join
 * @param lineMirror the staleness bound of the library's line mirror (status polls far from the head
 *     answered in this process, exact as of an instant at most this old), or null for none
 */
@ConfigurationProperties("waitingqueue")
public record WaitingQueueProperties(@DefaultValue Redis redis, @DefaultValue("wq:") String keyPrefix,
    @DefaultValue Signing signing, @DefaultValue DefaultEvent defaultEvent, Duration lineMirror) {

  /**
   * Redis connection.
   *
   * @param url a {@code redis://} or {@code rediss://} URL
   * @param poolSize most connections at once
   * @param fallbackToMemory run on the in-memory queue when Redis does not answer at start
   */
  public record Redis(@DefaultValue("redis://localhost:6379") String url, @DefaultValue("64") int poolSize,
      @DefaultValue("false") boolean fallbackToMemory) {}

  /**
   * Token signing keys.
   *
   * @param keys the first signs new tokens; the others are still accepted, so that a key can be rotated
   *     without cutting off the tokens already handed out
   * @param developmentMode with no keys, use the library's publicly known development key (logged loudly);
   *     without it, no keys is an error
   */
  public record Signing(@DefaultValue List<Key> keys, @DefaultValue("false") boolean developmentMode) {}

  /**
   * One signing key.
   *
   * @param id 1 to 16 characters of {@code [A-Za-z0-9_-]}, carried in every token it signs
   * @param secret at least 32 bytes of UTF-8 text
   */
  public record Key(String id, String secret) {}

  /**
   * The settings an event gets on its first join (see {@link EventSettings}).
   *
   * @param admissionRate people let in per second
   * @param burst how many may be let in at once after a quiet spell
   * @param capacity most people admitted at once, 0 for no limit
   * @param reservationTtl how long a reservation holds its slot
   * @param idleTimeout a waiter who stops polling is evicted after this
   * @param readyGrace a ready waiter who does not enter is skipped after this
   * @param lanes presale lanes, name to priority (1 to 7 ahead of the general line); none by default
   */
  public record DefaultEvent(@DefaultValue("5") double admissionRate, @DefaultValue("10") int burst,
      @DefaultValue("0") int capacity, @DefaultValue("5m") Duration reservationTtl,
      @DefaultValue("3m") Duration idleTimeout, @DefaultValue("60s") Duration readyGrace,
      @DefaultValue Map<String, Integer> lanes) {}

  /**
   * The default event settings, checked.
   *
   * @return the settings
   * @throws InvalidQueuePropertyException naming the first bad property
   */
  public EventSettings eventSettings() {
    EventSettings.Builder b = EventSettings.builder();
    set("waitingqueue.default-event.admission-rate", () -> b.admissionRate(defaultEvent.admissionRate()));
    set("waitingqueue.default-event.burst", () -> b.burst(defaultEvent.burst()));
    set("waitingqueue.default-event.capacity", () -> b.capacity(defaultEvent.capacity()));
    set("waitingqueue.default-event.reservation-ttl", () -> b.reservationTtl(defaultEvent.reservationTtl()));
    set("waitingqueue.default-event.idle-timeout", () -> b.idleTimeout(defaultEvent.idleTimeout()));
    set("waitingqueue.default-event.ready-grace", () -> b.readyGrace(defaultEvent.readyGrace()));
    set("waitingqueue.default-event.lanes", () -> b.lanes(defaultEvent.lanes()));
    return build("waitingqueue.default-event", b::build);
  }

  /**
   * The signing keys, checked.
   *
   * @return the keys
   * @throws InvalidQueuePropertyException naming the first bad property
   */
  public SigningKeys signingKeys() {
    List<Key> keys = signing.keys();
    if (keys.isEmpty()) {
      if (signing.developmentMode()) {
        return SigningKeys.developmentOnly();
      }
      throw new InvalidQueuePropertyException("waitingqueue.signing.keys",
          "no signing key: set QUEUE_SECRET (32+ random bytes), or waitingqueue.signing.development-mode=true "
          + "to use the library's public development key");
    }
    SigningKeys.Builder b = SigningKeys.builder();
    for (int i = 0; i < keys.size(); i++) {
      Key key = keys.get(i);
      String name = "waitingqueue.signing.keys[" + i + "]";
      if (key.secret() == null || key.secret().isBlank()) {
        throw new InvalidQueuePropertyException(name + ".secret", "is required");
      }
      byte[] secret = key.secret().getBytes(StandardCharsets.UTF_8);
      boolean current = i == 0;
      set(name, () -> {
        if (current) {
          b.current(key.id(), secret);
        } else {
          b.retired(key.id(), secret);
        }
      });
    }
    return build("waitingqueue.signing.keys", b::build);
  }

  /**
   * The queue's configuration: signing keys, default event settings and the listener.
   *
   * @param listener told of every outcome (the Micrometer binding)
   * @return the configuration
   * @throws InvalidQueuePropertyException naming the first bad property
   */
  public QueueConfig queueConfig(QueueListener listener) {
    return QueueConfig.builder().signingKeys(signingKeys()).defaultEventSettings(eventSettings())
        .listener(listener).build();
  }

  private static void set(String property, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw new InvalidQueuePropertyException(property, e.getMessage());
    }
  }

  private static <T> T build(String property, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidQueuePropertyException(property, e.getMessage());
    }
  }
}
