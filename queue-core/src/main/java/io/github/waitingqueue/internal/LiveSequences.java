package io.github.waitingqueue.internal;

import java.util.Arrays;

/**
 * The sequence numbers of the tickets in a line, with O(log n) rank, in about 5 bytes per slot. Sequence
 * numbers are added in increasing order (they come from a counter) and removed anywhere.
 *
 * <p>They sit in an array in the order they came, as int offsets from a base (so a slot costs 4 bytes
 * whatever the size of the sequence numbers), with one bit per slot saying which are still live, and a
 * Fenwick tree of the live counts of blocks of 64 slots over it: a rank is a binary search, a prefix sum
 * over the blocks and a bit count within one word. Each slot also keeps one byte of {@linkplain #tag tag}
 * for its owner. The array is compacted (and re-based on its lowest live number) when it is full, or
 * when the removed outnumber the live: it holds at most twice the live count, so memory follows the
 * number of live tickets, never the value of the sequence numbers nor how many came and went.
 *
 * <p>Not thread-safe: the owner synchronizes.
 */
public final class LiveSequences {
  private static final int MIN_CAPACITY = 64;

  private long base;
  private int[] offsets = new int[MIN_CAPACITY];
  private byte[] tags = new byte[MIN_CAPACITY];
  private long[] live = new long[1];
  private int[] blocks = new int[2];
  private int size;
  private int count;

  /** How many are live. */
  public int count() {
    return count;
  }

  /** The highest sequence number ever added and not compacted away, or 0 when none. */
  public long last() {
    return size == 0 ? 0 : base + offsets[size - 1];
  }

  /**
   * Adds a sequence number greater than every one added before.
   *
   * @throws IllegalArgumentException when it is not greater than the last one added, or lies more than
   *     {@link Integer#MAX_VALUE} above the lowest live one
   */
  public void add(long sequence) {
    if (size > 0 && sequence <= base + offsets[size - 1]) {
      throw new IllegalArgumentException("sequence numbers must grow: " + sequence + " after " + last());
    }
    if (size == 0 && count == 0) {
      base = sequence;
    }
    if (size == offsets.length || sequence - base > Integer.MAX_VALUE) {
      compact(Math.max(MIN_CAPACITY, count + count / 2 + 1));
      if (count == 0) {
        base = sequence;
      }
      if (sequence - base > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("sequence " + sequence + " lies more than 2^31 above the lowest live one, "
            + base);
      }
    }
    offsets[size] = (int) (sequence - base);
    tags[size] = 0;
    live[size >>> 6] |= 1L << size;
    size++;
    count++;
    for (int i = ((size - 1) >>> 6) + 1; i < blocks.length; i += i & -i) {
      blocks[i]++;
    }
  }

  /** Removes a sequence number; returns whether it was live. */
  public boolean remove(long sequence) {
    int slot = slot(sequence);
    if (slot < 0) {
      return false;
    }
    live[slot >>> 6] &= ~(1L << slot);
    count--;
    for (int i = (slot >>> 6) + 1; i < blocks.length; i += i & -i) {
      blocks[i]--;
    }
    if (size > MIN_CAPACITY && count < size / 2) {
      compact(Math.max(MIN_CAPACITY, count + count / 2 + 1));
    }
    return true;
  }

  /** How many live sequence numbers are at most {@code sequence}. */
  public long countUpTo(long sequence) {
    return prefix(insertionPoint(sequence));
  }

  /**
   * Where a live sequence number sits, for the slot methods below (one binary search answers several
   * questions: whether it is live, its rank, its tag), or -1 when it is not live. A slot is valid until the next {@link #add} or {@link #remove}.
   */
  public int slotOf(long sequence) {
    return slot(sequence);
  }

  /** How many live sequence numbers are at most the one in this slot (its 1-based rank among them). */
  public long rankAt(int slot) {
    return prefix(slot + 1);
  }

  /**
   * The tag byte of a slot from {@link #slotOf} (0 until set). Its owner gives it a meaning: the line
   * mirror keeps the last heartbeat window it sent for the ticket.
   */
  public int tagAt(int slot) {
    return Byte.toUnsignedInt(tags[slot]);
  }

  /** Sets the tag byte of a slot from {@link #slotOf}. */
  public void setTagAt(int slot, int tag) {
    tags[slot] = (byte) tag;
  }

  /** The bytes held, for memory accounting: the arrays, not the object headers. */
  public long footprintBytes() {
    return 4L * offsets.length + tags.length + 8L * live.length + 4L * blocks.length;
  }

  /** The slot of a live sequence number, or -1. */
  private int slot(long sequence) {
    int at = insertionPoint(sequence) - 1;
    if (at < 0 || base + offsets[at] != sequence || (live[at >>> 6] & (1L << at)) == 0) {
      return -1;
    }
    return at;
  }

  /** How many slots hold a sequence number at most {@code sequence}. */
  private int insertionPoint(long sequence) {
    if (size == 0 || sequence < base) {
      return 0;
    }
    long offset = sequence - base;
    if (offset > Integer.MAX_VALUE) {
      return size;
    }
    int index = Arrays.binarySearch(offsets, 0, size, (int) offset);
    return index >= 0 ? index + 1 : -index - 1;
  }

  /** Live slots among the first {@code slots}. */
  private long prefix(int slots) {
    int block = slots >>> 6;
    long sum = 0;
    for (int i = block; i > 0; i -= i & -i) {
      sum += blocks[i];
    }
    int within = slots & 63;
    if (within > 0) {
      sum += Long.bitCount(live[block] & ((1L << within) - 1));
    }
    return sum;
  }

  /**
   * Keeps only the live slots, in arrays of {@code capacity} (at least the live count), re-based on the
   * lowest live sequence number, in linear time.
   */
  private void compact(int capacity) {
    int[] keptOffsets = new int[capacity];
    byte[] keptTags = new byte[capacity];
    long newBase = base;
    int n = 0;
    for (int w = 0; w < live.length; w++) {
      for (long bits = live[w]; bits != 0; bits &= bits - 1) {
        int slot = (w << 6) + Long.numberOfTrailingZeros(bits);
        if (n == 0) {
          newBase = base + offsets[slot];
        }
        keptOffsets[n] = (int) (base + offsets[slot] - newBase);
        keptTags[n] = tags[slot];
        n++;
      }
    }
    base = newBase;
    offsets = keptOffsets;
    tags = keptTags;
    size = n;
    live = new long[(capacity + 63) >>> 6];
    for (int i = 0; i < n; i++) {
      live[i >>> 6] |= 1L << i;
    }
    blocks = new int[live.length + 1];
    for (int b = 1; b < blocks.length; b++) {
      blocks[b] += Long.bitCount(live[b - 1]);
      int parent = b + (b & -b);
      if (parent < blocks.length) {
        blocks[parent] += blocks[b];
      }
    }
  }
}
