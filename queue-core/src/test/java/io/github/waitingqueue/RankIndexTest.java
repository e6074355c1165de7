package io.github.waitingqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RankIndexTest {
  @Test
  void ranksMatchASortedSetThroughGrowthAndRemovals() {
    RankIndex index = new RankIndex();
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
      }
    }
  }
}
