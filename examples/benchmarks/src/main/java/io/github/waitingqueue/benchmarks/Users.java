package io.github.waitingqueue.benchmarks;

import java.util.UUID;

/**
 * Realistic user ids: random-looking version-4 UUIDs in their 36-character text form, the id a typical
 * account service hands out. Derived from an index, so the user at index i (and the sequence the line
 * gave it) can be rebuilt without keeping millions of strings.
 */
final class Users {
  private Users() {}

  /** The user id at {@code index}: a version-4 UUID whose bits are a fixed mix of the index. */
  static String id(long index) {
    long hi = mix(index * 2 + 1);
    long lo = mix(index * 2 + 2);
    hi = (hi & ~0xF000L) | 0x4000L; // version 4
    lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    return new UUID(hi, lo).toString();
  }

  /** SplitMix64's finaliser, made non-negative: a well-spread, repeatable pseudo-random number per index. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) & Long.MAX_VALUE;
  }
}
