package io.github.waitingqueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that stands still until a test moves it. Thread-safe. Shipped in the contract test-jar. */
public final class TestClock extends Clock {
  /** A whole second, so that second boundaries in tests are easy to reason about. */
  public static final long START_MILLIS = 1_767_225_600_000L;

  private final AtomicLong millis;

  /** A clock at {@link #START_MILLIS}. */
  public TestClock() {
    this(START_MILLIS);
  }

  /**
   * A clock at the given time.
   *
   * @param epochMillis the start
   */
  public TestClock(long epochMillis) {
    this.millis = new AtomicLong(epochMillis);
  }

  /**
   * Moves the clock forward.
   *
   * @param duration how far; not negative
   */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a test clock only moves forward");
    }
    millis.addAndGet(duration.toMillis());
  }

  /**
   * Moves the clock forward.
   *
   * @param ms how many milliseconds
   */
  public void advanceMillis(long ms) {
    advance(Duration.ofMillis(ms));
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
