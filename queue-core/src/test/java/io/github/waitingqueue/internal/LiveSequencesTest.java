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
        index.remove(victim);
        model.remove(victim);
      }
      if (step % 97 == 0 && !model.isEmpty()) {
        long probe = 1 + random.nextInt((int) next);
        assertThat(index.countUpTo(probe)).isEqualTo(model.headSet(probe, true).size());
        assertThat(index.count()).isEqualTo(model.size());
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
  void aLineThatTurnsOverKeepsItsArraysSizedByWhoIsLive() throws Exception {
    LiveSequences index = new LiveSequences();
    for (long s = 1; s <= 1_000_000; s++) {
      index.add(s);
      if (s > 100) {
        index.remove(s - 100);
      }
    }
    java.lang.reflect.Field f = LiveSequences.class.getDeclaredField("sequences");
    f.setAccessible(true);

    assertThat(index.count()).isEqualTo(100);
    assertThat(((long[]) f.get(index)).length).isLessThanOrEqualTo(1024);
    assertThat(index.countUpTo(999_950)).isEqualTo(50);
  }

  @Test
  void aSequenceNumberMustGrow() {
    LiveSequences index = new LiveSequences();
    index.add(5);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> index.add(5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
