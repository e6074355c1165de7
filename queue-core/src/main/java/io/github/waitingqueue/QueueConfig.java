package io.github.waitingqueue;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every {@link WaitingQueue} implementation needs: the keys that sign tokens, the settings new
 * events get, and (for tests) the clock. Immutable; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@link #signingKeys()}</td><td>none: required</td></tr>
 *   <tr><td>{@link #defaultEventSettings()}</td><td>{@link EventSettings#defaults()}</td></tr>
 *   <tr><td>{@link #clock()}</td><td>empty: the in-memory queue uses the system clock, the Redis queue
 *       uses the Redis server's {@code TIME}</td></tr>
 *   <tr><td>{@link #listener()}</td><td>{@link QueueListener#NONE}</td></tr>
 * </table>
 */
public final class QueueConfig {
  private static final Logger LOG = LoggerFactory.getLogger(QueueConfig.class);
  private final SigningKeys signingKeys;
  private final EventSettings defaultEventSettings;
  private final Clock clock;
  private final RandomGenerator random;
  private final QueueListener listener;

  private QueueConfig(Builder b) {
    this.signingKeys = b.signingKeys;
    this.defaultEventSettings = b.defaultEventSettings;
    this.clock = b.clock;
    this.random = b.random;
    this.listener = guarded(b.listener);
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The keys that sign and verify tokens.
   *
   * @return the keys
   */
  public SigningKeys signingKeys() {
    return signingKeys;
  }

  /**
   * The settings an event gets when its first join creates it.
   *
   * @return the default event settings
   */
  public EventSettings defaultEventSettings() {
    return defaultEventSettings;
  }

  /**
   * The clock set for tests, if any.
   *
   * @return the clock, or empty for the implementation's own time source
   */
  public Optional<Clock> clock() {
    return Optional.ofNullable(clock);
  }

  /**
   * The source of the pre-queue's random draws set for tests, if any.
   *
   * @return the generator, or empty for a {@link java.security.SecureRandom}
   */
  public Optional<RandomGenerator> random() {
    return Optional.ofNullable(random);
  }

  /**
   * The listener told of every outcome, guarded so that its exceptions are logged, never thrown.
   *
   * @return the listener
   */
  public QueueListener listener() {
    return listener;
  }

  /**
   * Wraps a listener so that its exceptions are logged, never thrown into a queue call, and so that
   * implementations may report every call's eviction count: only counts above 0 reach the listener
   * (and the DEBUG log).
   */
  private static QueueListener guarded(QueueListener l) {
    return new QueueListener() {
      @Override
      public void joined(String eventId, long position) {
        run(() -> l.joined(eventId, position));
      }

      @Override
      public void entered(String eventId) {
        run(() -> l.entered(eventId));
      }

      @Override
      public void refused(String eventId, String reason) {
        run(() -> l.refused(eventId, reason));
      }

      @Override
      public void left(String eventId) {
        run(() -> l.left(eventId));
      }

      @Override
      public void evicted(String eventId, long count) {
        if (count > 0) {
          LOG.debug("wq op=sweep event={} evicted={}", eventId, count);
          run(() -> l.evicted(eventId, count));
        }
      }

      private void run(Runnable call) {
        try {
          call.run();
        } catch (RuntimeException e) {
          LOG.warn("waiting-queue: listener {} failed", l, e);
        }
      }
    };
  }

  @Override
  public String toString() {
    return "QueueConfig{signingKeys=" + signingKeys + ", defaultEventSettings=" + defaultEventSettings
        + ", clock=" + (clock == null ? "default" : clock) + '}';
  }

  /** Builds a {@link QueueConfig}. */
  public static final class Builder {
    private SigningKeys signingKeys;
    private EventSettings defaultEventSettings = EventSettings.defaults();
    private Clock clock;
    private RandomGenerator random;
    private QueueListener listener = QueueListener.NONE;

    private Builder() {}

    /**
     * Sets the token signing keys. Required; there is deliberately no default.
     *
     * @param keys the keys
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public Builder signingKeys(SigningKeys keys) {
      if (keys == null) {
        throw new IllegalArgumentException("signingKeys must not be null");
      }
      this.signingKeys = keys;
      return this;
    }

    /**
     * Sets the settings new events get. Default {@link EventSettings#defaults()}.
     *
     * @param settings the settings
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public Builder defaultEventSettings(EventSettings settings) {
      if (settings == null) {
        throw new IllegalArgumentException("defaultEventSettings must not be null");
      }
      this.defaultEventSettings = settings;
      return this;
    }

    /**
     * Sets the clock. For tests: production leaves it unset so that the Redis queue takes time from the
     * Redis server, one clock for every application instance.
     *
     * @param clock the clock
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * Sets the source of random draws (the pre-queue's order). For tests that need two queues to draw
     * the same numbers; production leaves it unset, and each queue draws from its own
     * {@link java.security.SecureRandom}. The generator must be thread-safe if the queue is shared.
     *
     * @param random the generator
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public Builder random(RandomGenerator random) {
      if (random == null) {
        throw new IllegalArgumentException("random must not be null");
      }
      this.random = random;
      return this;
    }

    /**
     * Sets the listener told of every outcome. Default {@link QueueListener#NONE}.
     *
     * @param listener the listener
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public Builder listener(QueueListener listener) {
      if (listener == null) {
        throw new IllegalArgumentException("listener must not be null");
      }
      this.listener = listener;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     * @throws IllegalStateException when no signing keys were set
     */
    public QueueConfig build() {
      if (signingKeys == null) {
        throw new IllegalStateException("signingKeys are required: use SigningKeys.of(keyId, secret), "
            + "or SigningKeys.developmentOnly() for local experiments");
      }
      Objects.requireNonNull(defaultEventSettings);
      return new QueueConfig(this);
    }
  }
}
