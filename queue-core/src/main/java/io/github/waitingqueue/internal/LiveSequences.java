package io.github.waitingqueue.internal;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The sequence numbers of the tickets in a line, with O(log n) rank. Sequence numbers are added in
 * increasing order (they come from a counter) and removed anywhere. They sit in an array in the order
 * they came, with a Fenwick tree of which are still live over it; the array is compacted when the
 * removed outnumber the live, so memory follows the number of live tickets, never the value of the
 * sequence numbers nor how many came and went. Not thread-safe: the owner synchronizes.
 */
public final class LiveSequences {
  private long[] sequences = new long[16];
  private final BitSet live = new BitSet();
  private int[] tree = new int[17];
  private int size;
  private int count;

  /** How many are live. */
  public int count() {
    return count;
  }

  /**
   * Adds a sequence number greater than every one added before.
   *
   * @throws IllegalArgumentException when it is not greater than the last one added
   */
  public void add(long sequence) {
    if (size > 0 && sequence <= sequences[size - 1]) {
      throw new IllegalArgumentException("sequence numbers must grow: " + sequence + " after " + sequences[size - 1]);
    }
    if (size == sequences.length) {
      if (size - count >= size / 2) {
        compact(sequences.length);
      } else {
        compact(sequences.length * 2);
      }
    }
    sequences[size] = sequence;
    live.set(size);
    size++;
    count++;
    for (int i = size; i < tree.length; i += i & -i) {
      tree[i]++;
    }
  }

  /** Removes a sequence number; returns whether it was live. */
  public boolean remove(long sequence) {
    int index = Arrays.binarySearch(sequences, 0, size, sequence);
    if (index < 0 || !live.get(index)) {
      return false;
    }
    live.clear(index);
    count--;
    for (int i = index + 1; i < tree.length; i += i & -i) {
      tree[i]--;
    }
    if (size > 64 && size - count > 2 * count) {
      compact(2 * count);
    }
    return true;
  }

  /** How many live sequence numbers are at most {@code sequence}. */
  public long countUpTo(long sequence) {
    int index = Arrays.binarySearch(sequences, 0, size, sequence);
    int upTo = index >= 0 ? index + 1 : -index - 1;
    long sum = 0;
    for (int i = upTo; i > 0; i -= i & -i) {
      sum += tree[i];
    }
    return sum;
  }

  /** Keeps only the live ones, in an array of {@code capacity} (at least the live count), in linear time. */
  private void compact(int capacity) {
    long[] kept = new long[Math.max(capacity, 16)];
    int n = 0;
    for (int i = live.nextSetBit(0); i >= 0 && i < size; i = live.nextSetBit(i + 1)) {
      kept[n++] = sequences[i];
    }
    sequences = kept;
    size = n;
    live.clear();
    live.set(0, n);
    tree = new int[kept.length + 1];
    for (int i = 1; i <= n; i++) {
      tree[i] = 1;
    }
    for (int i = 1; i < tree.length; i++) {
      int parent = i + (i & -i);
      if (parent < tree.length) {
        tree[parent] += tree[i];
      }
    }
  }
}
