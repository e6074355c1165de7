package io.github.waitingqueue.history;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Answers, for many (sequence, time) queries at once, how many tickets ahead of a sequence had a time
 * key above (or at) a given instant: a two-dimensional dominance count, done offline with a Fenwick
 * tree in O((tickets + queries) log tickets), so long histories are checked quickly.
 */
final class AheadCounter {
  private AheadCounter() {}

  /** A ticket: its sequence and its key (e.g. when it left the line; Long.MAX_VALUE if never). */
  record Point(long sequence, long key) {}

  /**
   * For each query, the number of points with a smaller sequence and a key {@code > at} (or {@code >=}).
   *
   * @param points the tickets
   * @param sequences the queries' sequences
   * @param at the queries' instants
   * @param inclusive whether a key equal to the instant counts
   * @return one count per query
   */
  static long[] countAhead(Collection<Point> points, long[] sequences, long[] at, boolean inclusive) {
    long[] seqs = points.stream().mapToLong(Point::sequence).sorted().toArray();
    long[] tree = new long[seqs.length + 1];
    List<Point> byKey = points.stream().sorted(Comparator.comparingLong(Point::key).reversed()).toList();
    Integer[] order = new Integer[sequences.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(at[b], at[a]));
    long[] result = new long[sequences.length];
    int next = 0;
    for (int q : order) {
      while (next < byKey.size() && (inclusive ? byKey.get(next).key() >= at[q] : byKey.get(next).key() > at[q])) {
        int index = Arrays.binarySearch(seqs, byKey.get(next).sequence()) + 1;
        for (int i = index; i < tree.length; i += i & -i) {
          tree[i]++;
        }
        next++;
      }
      int below = lowerBound(seqs, sequences[q]);
      long sum = 0;
      for (int i = below; i > 0; i -= i & -i) {
        sum += tree[i];
      }
      result[q] = sum;
    }
    return result;
  }

  private static int lowerBound(long[] sorted, long value) {
    int i = Arrays.binarySearch(sorted, value);
    if (i < 0) {
      return -i - 1;
    }
    return i;
  }
}
