package io.github.waitingqueue.redis;

import static io.github.waitingqueue.redis.Op.advance;
import static io.github.waitingqueue.redis.Op.enter;
import static io.github.waitingqueue.redis.Op.join;
import static io.github.waitingqueue.redis.Op.stats;
import static io.github.waitingqueue.redis.Op.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The shrinker, on a made-up difference instead of two queues: a sequence "fails" when it joins user 1
 * and, at least a second of clock later, makes user 1 enter.
 */
class ShrinkerTest {

  /** Replays steps against the made-up difference: where it shows, the steps up to there. */
  private static Optional<Twin.Mismatch> replay(List<Op> steps) {
    boolean joined = false;
    long waited = 0;
    for (int i = 0; i < steps.size(); i++) {
      Op op = steps.get(i);
      if (op.equals(join(0, 1))) {
        joined = true;
      } else if (joined && op instanceof Op.Advance) {
        waited += ((Op.Advance) op).millis();
      } else if (joined && waited >= 1_000 && op.equals(enter(0, 1, 0))) {
        return Optional.of(new Twin.Mismatch(List.copyOf(steps.subList(0, i + 1)), op.toString(), "ADMITTED", "NOT_READY"));
      }
    }
    return Optional.empty();
  }

  private static Twin.Mismatch shrink(Op... steps) {
    Twin.Mismatch original = replay(List.of(steps)).orElseThrow();
    return new Shrinker(ShrinkerTest::replay, original).shrink();
  }

  @Test
  void dropsEveryStepTheDifferenceDoesNotNeed() {
    Twin.Mismatch shrunk = shrink(join(0, 2), status(0, 2, 0), join(0, 1), stats(0), advance(1_000), join(0, 3),
        status(0, 1, 0), enter(0, 2, 0), enter(0, 1, 0), stats(1));

    assertThat(shrunk.steps()).containsExactly(join(0, 1), advance(1_000), enter(0, 1, 0));
  }

  @Test
  void mergesClockStepsInARow() {
    Twin.Mismatch shrunk = shrink(join(0, 1), advance(600), status(0, 1, 0), advance(600), enter(0, 1, 0));

    assertThat(shrunk.steps()).containsExactly(join(0, 1), advance(1_200), enter(0, 1, 0));
  }

  @Test
  void halvesAClockStepWhileTheDifferenceStays() {
    Twin.Mismatch shrunk = shrink(join(0, 1), advance(4_000), enter(0, 1, 0));

    assertThat(shrunk.steps()).containsExactly(join(0, 1), advance(1_000), enter(0, 1, 0));
  }
}
