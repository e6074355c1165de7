package io.github.waitingqueue;

import java.util.BitSet;

/**
 * The set of sequence numbers in line, with O(log n) rank: a Fenwick tree over sequence numbers,
 * which are dense and only grow. It gives the in-memory queue exact positions at the same complexity
 * as the sorted set in Redis. Not thread-safe; the owning room synchronizes.
 */
final class RankIndex {
  private final BitSet present = new BitSet();
  private int[] tree = new int[1024];

  void add(long sequence) {
    int i = index(sequence);
    if (i >= tree.length) {
      grow(i);
    }
    present.set(i);
    for (; i < tree.length; i += i & -i) {
      tree[i]++;
    }
  }

  void remove(long sequence) {
    int i = index(sequence);
    if (i >= tree.length || !present.get(i)) {
      return;
    }
    present.clear(i);
    for (; i < tree.length; i += i & -i) {
      tree[i]--;
    }
  }

  /** How many sequence numbers in the set are at most {@code sequence}. */
  long countUpTo(long sequence) {
    int i = (int) Math.min(index(sequence), tree.length - 1L);
    long sum = 0;
    for (; i > 0; i -= i & -i) {
      sum += tree[i];
    }
    return sum;
  }

  private static int index(long sequence) {
    if (sequence < 1 || sequence >= Integer.MAX_VALUE / 2) {
      throw new IllegalStateException("in-memory queue sequence out of range: " + sequence);
    }
    return (int) sequence;
  }

  private void grow(int needed) {
    int size = tree.length;
    while (size <= needed) {
      size <<= 1;
    }
    // Linear-time rebuild from the bitset; amortized O(1) per add since sizes double.
    int[] fresh = new int[size];
    for (int i = present.nextSetBit(1); i >= 0; i = present.nextSetBit(i + 1)) {
      fresh[i]++;
    }
    for (int i = 1; i < size; i++) {
      int parent = i + (i & -i);
      if (parent < size) {
        fresh[parent] += fresh[i];
      }
    }
    tree = fresh;
  }
}
