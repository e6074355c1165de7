package io.github.waitingqueue.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Shrinks a failing sequence to a short one that still fails the same way: drops chunks of steps, then
 * single steps (delta debugging), merges neighbouring clock steps and shortens clock steps, keeping each
 * change only if a fresh replay still shows the same difference ({@link Twin.Mismatch#sameKindAs}).
 */
final class Shrinker {
  private static final int MAX_REPLAYS = 3_000;

  private final Function<List<Op>, Optional<Twin.Mismatch>> replay;
  private final Twin.Mismatch original;
  private int replays;

  /**
   * A shrinker.
   *
   * @param replay runs steps on a fresh twin and says where they differ
   * @param original the difference to keep
   */
  Shrinker(Function<List<Op>, Optional<Twin.Mismatch>> replay, Twin.Mismatch original) {
    this.replay = replay;
    this.original = original;
  }

  /**
   * The shortest failing sequence found.
   *
   * @return the mismatch of that sequence
   */
  Twin.Mismatch shrink() {
    Twin.Mismatch best = original;
    boolean progress = true;
    while (progress && replays < MAX_REPLAYS) {
      progress = false;
      for (int chunk = Math.max(1, best.steps().size() / 2); chunk >= 1; chunk /= 2) {
        for (int from = 0; from + chunk <= best.steps().size(); ) {
          List<Op> candidate = new ArrayList<>(best.steps());
          candidate.subList(from, from + chunk).clear();
          Optional<Twin.Mismatch> still = attempt(candidate);
          if (still.isPresent()) {
            best = still.get();
            progress = true;
          } else {
            from += chunk;
          }
        }
      }
      Optional<Twin.Mismatch> simpler = simplifyClockSteps(best);
      if (simpler.isPresent()) {
        best = simpler.get();
        progress = true;
      }
    }
    return best;
  }

  /** Merges two clock steps in a row into one, or halves a clock step, where the difference stays. */
  private Optional<Twin.Mismatch> simplifyClockSteps(Twin.Mismatch best) {
    List<Op> steps = best.steps();
    for (int i = 0; i < steps.size(); i++) {
      if (!(steps.get(i) instanceof Op.Advance)) {
        continue;
      }
      long ms = ((Op.Advance) steps.get(i)).millis();
      if (i + 1 < steps.size() && steps.get(i + 1) instanceof Op.Advance) {
        List<Op> merged = new ArrayList<>(steps);
        merged.set(i, Op.advance(ms + ((Op.Advance) steps.get(i + 1)).millis()));
        merged.remove(i + 1);
        Optional<Twin.Mismatch> still = attempt(merged);
        if (still.isPresent()) {
          return still;
        }
      }
      if (ms > 1) {
        List<Op> halved = new ArrayList<>(steps);
        halved.set(i, Op.advance(ms / 2));
        Optional<Twin.Mismatch> still = attempt(halved);
        if (still.isPresent()) {
          return still;
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Twin.Mismatch> attempt(List<Op> candidate) {
    if (replays++ >= MAX_REPLAYS) {
      return Optional.empty();
    }
    return replay.apply(candidate).filter(original::sameKindAs);
  }
}
