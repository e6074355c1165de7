package io.github.waitingqueue.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

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

  /** Pre-queue sequence numbers stay below this (2^26): the draw permutes them within it. */
  public static final long PRE_BITS = 1L << 26;
  /** Half a pre-queue sequence number: the draw's Feistel network works on two halves of 13 bits. */
  public static final long DRAW_HALF = 1L << 13;
  /** An odd multiplier that mixes a round of the draw, below 2^26 so products stay exact in a double. */
  public static final long DRAW_MUL = 39083849;
  /**
   * A change feed nobody read for this long (ms) is dropped by the next writer, so an event nobody
   * mirrors keeps no feed; a line mirror that comes back later sees the lapse and rebuilds.
   */
  public static final long FEED_LAPSE_MS = 30_000;
  /** Entries a change feed keeps at most: a mirror that falls further behind rebuilds. */
  public static final long FEED_MAX = 65_536;
  /** Entries trimmed from the old end of a change feed at once when it is full. */
  public static final long FEED_TRIM = 1_024;
  /** Feed entries one mirror catch-up returns at most. */
  public static final long FEED_READ_MAX = 16_384;
  /** Tickets one bootstrap read of a line returns at most. */
  public static final long LINE_CHUNK = 10_000;
  /** Heartbeats one mirror catch-up carries at most. */
  public static final long HEARTBEAT_BATCH = 2_000;
  /**
   * The highest sequence number an event issues (2^41 - 1): scores keep a heartbeat window below the
   * sequence and a lane above it, and stay exact in a double. At 10,000 joins a second that is 6.9 years
   * of joins; at a million a second, 25 days.
   */
  public static final long MAX_SEQUENCE = (1L << 41) - 1;
  /**
   * The score span of one lane (2^50): a ticket's score is its lane's block times this plus its score
   * within the lane, which lies in [-PRE_BITS * HB_SPAN, (MAX_SEQUENCE + 1) * HB_SPAN), so lanes never
   * overlap and every score stays below 2^53 in magnitude, exact in a double.
   */
  public static final long LANE_SPAN = 1L << 50;
  /**
   * Lane priorities lie in [0, MAX_LANE_PRIORITY]; the general line has priority 0, so no lane stands
   * behind it and a new ticket of the general line is always the last in line.
   */
  public static final long MAX_LANE_PRIORITY = 7;

  /** The block of a lane of this priority: higher priorities get lower blocks, so they sort first. */
  public static long laneBlock(long priority) {
    return -priority;
  }

  /** The lane block a score lies in: the nearest multiple of {@link #LANE_SPAN}. */
  public static long blockOf(long score) {
    return Math.floorDiv(score + LANE_SPAN / 2, LANE_SPAN);
  }

  /**
   * The pre-queue place of a sequence number under the event's draw: a permutation of [0, 2^26) keyed by
   * the round keys derived from the draw's seed (a Feistel network, one round per key), so every
   * sequence number gets a distinct place and nobody can know theirs before the seed is revealed.
   */
  public static long drawPlace(long[] roundKeys, long sequence) {
    long l = sequence / DRAW_HALF;
    long r = sequence % DRAW_HALF;
    for (long k : roundKeys) {
      long next = l ^ drawRound(k, r);
      l = r;
      r = next;
    }
    return l * DRAW_HALF + r;
  }

  /** The sequence number at a pre-queue place: {@link #drawPlace} backwards. */
  public static long drawSequence(long[] roundKeys, long place) {
    long l = place / DRAW_HALF;
    long r = place % DRAW_HALF;
    for (int i = roundKeys.length - 1; i >= 0; i--) {
      long previous = r ^ drawRound(roundKeys[i], l);
      r = l;
      l = previous;
    }
    return l * DRAW_HALF + r;
  }

  /** Rounds of the draw's permutation. */
  public static final long DRAW_ROUNDS = 6;

  /** A fresh draw seed: 16 random bytes as 32 lowercase hex digits. */
  public static String newDrawSeed(RandomGenerator random) {
    byte[] seed = new byte[16];
    random.nextBytes(seed);
    return HexFormat.of().formatHex(seed);
  }

  /** The commitment to a seed: SHA-256 of its text, as 64 lowercase hex digits. */
  public static String drawCommitment(String seed) {
    return HexFormat.of().formatHex(sha256(seed.getBytes(StandardCharsets.UTF_8)));
  }

  /** The round keys of a seed: the first four bytes of SHA-256(seed text, round number), unsigned. */
  public static long[] drawKeys(String seed) {
    byte[] text = seed.getBytes(StandardCharsets.UTF_8);
    long[] keys = new long[(int) DRAW_ROUNDS];
    for (int i = 0; i < keys.length; i++) {
      byte[] input = ByteBuffer.allocate(text.length + 1).put(text).put((byte) i).array();
      keys[i] = Integer.toUnsignedLong(ByteBuffer.wrap(sha256(input)).getInt());
    }
    return keys;
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /** One round of the draw: integer arithmetic that Lua's doubles compute exactly (all below 2^53). */
  static long drawRound(long key, long half) {
    long t = (half * (key % (1L << 20)) + key / (1L << 20)) % PRE_BITS;
    t = t ^ (t >>> 13);
    t = (t * DRAW_MUL) % PRE_BITS;
    t = t ^ (t >>> 12);
    return t % DRAW_HALF;
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
    } else if (x == 0) {
      return 1; // what the series gives for 0, exactly
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

  /**
   * Events per second from an exponentially weighted moving average (admissions, or reservations ending):
   * the weight decayed from its time to now, over the time constant, bias-corrected for the time since the
   * first event (at least a second, so a burst in one instant reads as a rate). The same arithmetic, in the
   * same order, as common.lua's ewma_rate.
   */
  public static double ewmaRate(double weight, long at, long first, long now) {
    double w = weight * decay(Math.max(0, now - at) / 1000.0 / EWMA_TAU_S);
    long elapsed = Math.max(now - first, 1000);
    return w / (EWMA_TAU_S * (1 - decay(elapsed / 1000.0 / EWMA_TAU_S)));
  }

  /** A weight of the moving average after one more event at {@code at}, as common.lua's ewma_after. */
  public static double ewmaAfter(double weight, long lastAt, long at) {
    return weight * decay(Math.max(0, at - lastAt) / 1000.0 / EWMA_TAU_S) + 1;
  }

  /**
   * Seconds until the last of {@code beyond} positions behind the allowance is admitted, as common.lua's eta:
   * at {@code rate} admissions a second; and, when the capacity binds (only {@code free} more reservations
   * fit beyond the allowance, -1 when it cannot bind), no sooner than the reservations that must end first
   * end, at {@code endsRate} a second.
   */
  public static long eta(long beyond, double rate, long free, double endsRate) {
    double t = beyond / rate;
    if (free >= 0 && beyond > free) {
      t = Math.max(t, (beyond - free) / endsRate);
    }
    return (long) Math.ceil(t);
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
