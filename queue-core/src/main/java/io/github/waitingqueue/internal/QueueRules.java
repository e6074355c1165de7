package io.github.waitingqueue.internal;

/**
 * The numbers both implementations of the queue obey, written once. The in-memory queue reads these
 * fields; the Redis queue's Lua library is given each one as a Lua constant of the same name (the
 * library is assembled from this class by reflection over its {@code public static final} fields), so
 * that Lua and Java cannot drift apart.
 *
 * <p>Internal: not part of the API, not exported by the module.
 */
public final class QueueRules {
  private QueueRules() {}

  /** An event is swept at most this often by ordinary calls (ms). */
  public static final long SWEEP_INTERVAL_MS = 250;
  /** Tickets an ordinary sweep examines for idleness, at the least. */
  public static final long SWEEP_BATCH_MIN = 16;
  /** Tickets an ordinary sweep examines for idleness, at the most: bounds one call's work. */
  public static final long SWEEP_BATCH_MAX = 2048;
  /**
   * Sweeps in which the cursor passes over the whole line: the batch is the line's size when the pass
   * began divided by this, so that a pass takes this many sweeps (60 s of traffic at one sweep every
   * 250 ms) however many tickets it evicts on the way, up to the maximum batch.
   */
  public static final long SWEEP_PASS_SWEEPS = 240;
  /** Tickets an explicit sweep examines for idleness, at the least. */
  public static final long EXPLICIT_SWEEP_BATCH = 256;
  /** Head tickets whose ready time is tracked for the ready grace. */
  public static final long READY_MARKS = 32;
  /** Expired leases removed per call. */
  public static final long LEASE_PURGE = 16;
  /** Join-time marks removed per sweep. */
  public static final long JOIN_MARKS_TRIM = 64;
  /** Entries of each set a purge call removes. */
  public static final long PURGE_BATCH = 1000;

  /** Time constant of the measured admission rate (s). */
  public static final double EWMA_TAU_S = 30;
  /** Admissions before the measured rate replaces the configured one. */
  public static final long EWMA_MIN_ADMISSIONS = 5;
  /** The measured rate used for ETAs never falls below the configured rate divided by this. */
  public static final double EWMA_FLOOR_DIVISOR = 100;

  /** The decay of the measured rate is 0 from this many time constants on (e^-40 is below 10^-17). */
  public static final double DECAY_LIMIT = 40;

  /** Heartbeat windows kept per ticket: a ticket's score keeps its last window modulo this. */
  public static final long HB_SPAN = 256;
  /** A ticket is idle when its last heartbeat window is this many windows old, or older. */
  public static final long HB_WINDOWS = 3;
  /** Silence of a whole event, at the least, that counts as an outage rather than idleness (ms). */
  public static final long OUTAGE_GAP_MIN_MS = 500;

  /** Pre-queue sequence numbers stay below this (2^26). */
  public static final long PRE_BITS = 1L << 26;
  /** Odd, so multiplying modulo {@link #PRE_BITS} permutes sequence numbers. */
  public static final long PRE_MUL = 39083849;
  /** {@link #PRE_MUL}'s inverse modulo {@link #PRE_BITS}. */
  public static final long PRE_INV = 65716985;
  /** The pre-queue's random draw is below this (2^19), so a pre-queue score fits in 53 bits. */
  public static final long PRE_DRAWS = 1L << 19;
  /**
   * The highest sequence number an event issues (2^45 - 1): scores keep a heartbeat window below the
   * sequence, and stay exact in a double. At a million joins a second, a year of joins is 2^45 / 1,100.
   */
  public static final long MAX_SEQUENCE = (1L << 45) - 1;

  /** The pre-queue order of a ticket: its draw, then its sequence permuted, so ties carry no arrival edge. */
  public static long prequeueOrder(long sequence, long draw) {
    return draw * PRE_BITS + (sequence * PRE_MUL) % PRE_BITS;
  }

  /**
   * e^-x for x &gt;= 0, from additions, multiplications and divisions alone (a Taylor series of e^-(x/256),
   * squared eight times), so that Lua in Redis and Java compute the very same double: their library
   * {@code exp} functions round some arguments apart. Relative error below 10^-13; 0 from
   * {@link #DECAY_LIMIT} on.
   */
  public static double decay(double x) {
    if (x >= DECAY_LIMIT) {
      return 0;
    }
    double y = x / 256;
    double t = 1;
    for (int i = 11; i >= 1; i--) {
      t = 1 - y * t / i;
    }
    for (int i = 0; i < 8; i++) {
      t = t * t;
    }
    return t;
  }

  /** The heartbeat window of an instant, modulo {@link #HB_SPAN}; 0 when idle eviction is off. */
  public static long window(long idleMs, long now) {
    return idleMs <= 0 ? 0 : Math.floorMod(Math.floorDiv(now, idleMs / 2), HB_SPAN);
  }

  /** Whether a ticket last seen in {@code lastWindow} is idle in {@code window}. */
  public static boolean stale(long lastWindow, long window) {
    return Math.floorMod(window - lastWindow, HB_SPAN) >= HB_WINDOWS;
  }

  /** Silence of a whole event that counts as an outage (ms), or 0 when nothing is timed. */
  public static long outageGap(long idleMs, long graceMs) {
    long shortest = idleMs > 0 && graceMs > 0 ? Math.min(idleMs, graceMs) : Math.max(idleMs, graceMs);
    return shortest <= 0 ? 0 : Math.max(OUTAGE_GAP_MIN_MS, shortest / 2);
  }

  /** Tickets a sweep examines in a pass over a line of {@code passSize}, at least {@code minBatch}. */
  public static long sweepBatch(long passSize, long minBatch) {
    return Math.min(SWEEP_BATCH_MAX, Math.max(minBatch, (passSize + SWEEP_PASS_SWEEPS - 1) / SWEEP_PASS_SWEEPS));
  }
}
