package io.github.waitingqueue;

import io.github.waitingqueue.internal.QueueRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The pre-queue's draw, which anyone can check. When an event's opening is scheduled, the queue draws a
 * secret seed and publishes its SHA-256 (the commitment, in {@link QueueStats#drawCommitment()}) before
 * anybody joins; once the event opens it publishes the seed ({@link QueueStats#drawSeed()}). The order
 * of the pre-queue is a permutation of the tickets' sequence numbers keyed by the seed, so nobody, the
 * operator included, can choose it after seeing who joined, and anyone holding the seed and the sequence
 * numbers can recompute it with {@link #order(String, Collection)}.
 *
 * <pre>{@code
 * QueueStats s = queue.stats("concert");                       // after the opening
 * assert PrequeueDraw.commitment(s.drawSeed()).equals(commitmentPublishedBeforehand);
 * List<Long> line = PrequeueDraw.order(s.drawSeed(), sequencesOfTheEarlyJoiners);
 * }</pre>
 */
public final class PrequeueDraw {
  private PrequeueDraw() {}

  /**
   * The commitment to a seed: its SHA-256, as 64 lowercase hex digits.
   *
   * @param seed the seed as published
   * @return the commitment
   * @throws InvalidInputException when the seed is null
   */
  public static String commitment(String seed) {
    return QueueRules.drawCommitment(requireSeed(seed));
  }

  /**
   * The pre-queue order of sequence numbers under a seed: the first of the list stands first in line.
   *
   * @param seed the seed as published
   * @param sequences sequence numbers of pre-queue tickets (1 to 2^26 - 1)
   * @return the same numbers in line order
   * @throws InvalidInputException when the seed is null or a sequence number is out of range
   */
  public static List<Long> order(String seed, Collection<Long> sequences) {
    long[] keys = QueueRules.drawKeys(requireSeed(seed));
    for (Long s : sequences) {
      if (s == null || s < 1 || s >= QueueRules.PRE_BITS) {
        throw new InvalidInputException("pre-queue sequence numbers are 1 to 2^26 - 1, got " + s);
      }
    }
    List<Long> out = new ArrayList<>(sequences);
    out.sort(Comparator.comparingLong(s -> QueueRules.drawPlace(keys, s)));
    return out;
  }

  private static String requireSeed(String seed) {
    if (seed == null) {
      throw new InvalidInputException("seed must not be null");
    }
    return seed;
  }
}
