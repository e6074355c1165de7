package io.github.waitingqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LiveSequencesTest {
  @Test
  void ranksMatchASortedSetThroughGrowthAndRemovals() {
    LiveSequences index = new LiveSequences();
    TreeSet<Long> model = new TreeSet<>();
    Random random = new Random(7);
    long next = 1;
    for (int step = 0; step < 20_000; step++) {
      if (model.isEmpty() || random.nextInt(3) > 0) {
        index.add(next);
        model.add(next);
        next++;
      } else {
        Long above = model.ceiling(1 + (long) random.nextInt((int) next));
        long victim = above == null ? model.first() : above;
        assertThat(index.remove(victim)).isTrue();
        assertThat(index.remove(victim)).isFalse();
        model.remove(victim);
      }
      if (step % 97 == 0 && !model.isEmpty()) {
        long probe = 1 + random.nextInt((int) next);
        assertThat(index.countUpTo(probe)).isEqualTo(model.headSet(probe, true).size());
        assertThat(index.count()).isEqualTo(model.size());
        assertThat(index.slotOf(probe) >= 0).isEqualTo(model.contains(probe));
      }
    }
  }

  @Test
  void sequenceNumbersNearTheEndOfAnEventsLifeCostNoMoreThanTheFirst() {
    LiveSequences index = new LiveSequences();
    long base = 400_000_000_000L;
    for (long s = base; s < base + 1_000; s++) {
      index.add(s);
    }
    index.remove(base + 10);

    assertThat(index.countUpTo(base + 500)).isEqualTo(500);
    assertThat(index.countUpTo(base - 1)).isZero();
    assertThat(index.countUpTo(Long.MAX_VALUE)).isEqualTo(999);
  }

  @Test
  void aLineThatTurnsOverKeepsItsArraysSizedByWhoIsLive() {
    LiveSequences index = new LiveSequences();
    for (long s = 1; s <= 1_000_000; s++) {
      index.add(s);
      if (s > 100) {
        index.remove(s - 100);
      }
    }

    assertThat(index.count()).isEqualTo(100);
    assertThat(index.footprintBytes()).isLessThanOrEqualTo(1024);
    assertThat(index.countUpTo(999_950)).isEqualTo(50);
  }

  @Test
  void aMillionLiveCostAtMostSixteenBytesEachAtTheWorstMomentOfRemovals() {
    LiveSequences index = new LiveSequences();
    for (long s = 1; s <= 1_000_000; s++) {
      index.add(s);
    }
    long worst = 0;
    for (long s = 1; s <= 990_000; s += 1) {
      index.remove(s);
      if (s % 1_000 == 0) {
        worst = Math.max(worst, index.footprintBytes() / index.count());
      }
    }

    assertThat(worst).isLessThanOrEqualTo(16);
  }

  @Test
  void sequenceNumbersFarAboveTheFirstOnesAreAddedOnceTheOldOnesLeave() {
    LiveSequences index = new LiveSequences();
    index.add(1);
    index.add(2);
    index.remove(1);
    long far = 2L + Integer.MAX_VALUE;

    index.add(far);

    assertThat(index.countUpTo(far)).isEqualTo(2);
    assertThat(index.slotOf(2)).isNotNegative();
    assertThat(index.slotOf(far)).isNotNegative();
  }

  @Test
  void aSequenceNumberMoreThanTwoToThe31AboveALiveOneIsRefused() {
    LiveSequences index = new LiveSequences();
    index.add(1);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> index.add(3L + Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSlotAnswersRankAndTagAsTheSequenceNumberDoes() {
    LiveSequences index = new LiveSequences();
    for (long s = 10; s < 20; s++) {
      index.add(s);
    }
    index.remove(12);

    int slot = index.slotOf(15);
    index.setTagAt(slot, 7);

    assertThat(index.rankAt(slot)).isEqualTo(index.countUpTo(15)).isEqualTo(5);
    assertThat(index.tagAt(slot)).isEqualTo(7).isEqualTo(index.tagAt(index.slotOf(15)));
    assertThat(index.slotOf(12)).isEqualTo(-1);
    assertThat(index.slotOf(99)).isEqualTo(-1);
  }

  @Test
  void aTagStaysWithItsSequenceNumberThroughCompactions() {
    LiveSequences index = new LiveSequences();
    for (long s = 1; s <= 10_000; s++) {
      index.add(s);
    }
    index.setTagAt(index.slotOf(9_999), 42);
    for (long s = 1; s <= 9_000; s++) {
      index.remove(s);
    }

    assertThat(index.tagAt(index.slotOf(9_999))).isEqualTo(42);
    assertThat(index.tagAt(index.slotOf(9_998))).isZero();
    assertThat(index.slotOf(5)).as("a removed number has no slot to tag").isEqualTo(-1);
  }

  @Test
  void aSequenceNumberMustGrow() {
    LiveSequences index = new LiveSequences();
    index.add(5);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> index.add(5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
