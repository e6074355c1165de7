package io.github.waitingqueue.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A linearizability checker in the style of Porcupine (Wing and Gong's search with Lowe's
 * just-in-time linearization and memoisation of (linearized set, model state)). It answers whether the
 * calls of a history can be put in one sequential order that respects real time (a call that ended
 * before another started comes first) and in which every result is what the sequential model returns.
 *
 * <p>A call of unknown outcome (it failed with QueueUnavailableException) may take effect at any moment
 * after it started, or never: it is given an infinite end and any result. A read (status, stats) of
 * unknown outcome is left out altogether: it changed nothing and told nothing.
 *
 * @param <S> the model's state; immutable, with value equality
 */
public final class LinearizabilityChecker<S> {

  /**
   * A sequential specification.
   *
   * @param <S> its state, immutable, with equals and hashCode
   */
  public interface Model<S> {
    /**
     * The state before the first call.
     *
     * @return the initial state
     */
    S initial();

    /**
     * Applies a call to a state.
     *
     * @param state the state before
     * @param call the call; when {@code call.ok()} is false its result is unknown and must not be checked
     * @return the state after, or empty when the call's recorded result is not what the model returns
     */
    Optional<S> step(S state, Call call);
  }

  /**
   * The verdict.
   *
   * @param linearizable whether an order was found
   * @param order the call ids in the order found (when linearizable), else the longest prefix found
   * @param explored how many search steps were taken
   */
  public record Result(boolean linearizable, List<Integer> order, long explored) {}

  private final Model<S> model;
  private final long maxSteps;

  /**
   * A checker.
   *
   * @param model the sequential specification
   * @param maxSteps bound on the search; exceeding it fails loudly rather than running forever
   */
  public LinearizabilityChecker(Model<S> model, long maxSteps) {
    this.model = model;
    this.maxSteps = maxSteps;
  }

  private static final class Entry {
    final Call call;
    final boolean isCall;
    final long time;
    Entry match;
    Entry prev;
    Entry next;

    Entry(Call call, boolean isCall, long time) {
      this.call = call;
      this.isCall = isCall;
      this.time = time;
    }
  }

  private record Frame<S>(Entry entry, S state) {}

  private record Memo<S>(BitSet linearized, S state) {}

  /**
   * Searches for a linearization.
   *
   * @param calls the history
   * @return the verdict
   * @throws IllegalStateException when the search exceeds its bound
   */
  public Result check(List<Call> calls) {
    List<Entry> events = new ArrayList<>();
    for (Call c : calls) {
      if (!c.ok() && (c.kind() == Call.Kind.STATUS || c.kind() == Call.Kind.STATS)) {
        continue; // a read whose reply was lost changed nothing and told nothing: leave it out
      }
      Entry call = new Entry(c, true, c.start());
      Entry ret = new Entry(c, false, c.effectiveEnd());
      call.match = ret;
      ret.match = call;
      events.add(call);
      events.add(ret);
    }
    // By time; on a tie the call comes first, so touching calls count as concurrent (never a false alarm).
    events.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> e.isCall ? 0 : 1));
    Entry head = new Entry(null, false, Long.MIN_VALUE);
    Entry last = head;
    for (Entry e : events) {
      last.next = e;
      e.prev = last;
      last = e;
    }

    S state = model.initial();
    BitSet linearized = new BitSet();
    Set<Memo<S>> cache = new HashSet<>();
    Deque<Frame<S>> stack = new ArrayDeque<>();
    List<Integer> longest = List.of();
    long steps = 0;
    Entry entry = head.next;
    while (head.next != null) {
      if (++steps > maxSteps) {
        throw new IllegalStateException("linearizability search exceeded " + maxSteps + " steps on "
            + calls.size() + " calls (" + calls.stream().filter(c -> !c.ok()).count()
            + " of unknown outcome): make the histories smaller");
      }
      if (entry.isCall) {
        Optional<S> next = model.step(state, entry.call);
        boolean moved = false;
        if (next.isPresent()) {
          BitSet with = (BitSet) linearized.clone();
          with.set(entry.call.id());
          if (cache.add(new Memo<>(with, next.get()))) {
            stack.push(new Frame<>(entry, state));
            state = next.get();
            linearized = with;
            lift(entry);
            entry = head.next;
            moved = true;
            if (stack.size() > longest.size()) {
              longest = order(stack);
            }
          }
        }
        if (!moved) {
          entry = entry.next;
        }
      } else {
        if (stack.isEmpty()) {
          return new Result(false, longest, steps);
        }
        Frame<S> top = stack.pop();
        state = top.state();
        linearized.clear(top.entry().call.id());
        unlift(top.entry());
        entry = top.entry().next;
      }
    }
    return new Result(true, order(stack), steps);
  }

  private static <S> List<Integer> order(Deque<Frame<S>> stack) {
    List<Integer> ids = new ArrayList<>();
    stack.descendingIterator().forEachRemaining(f -> ids.add(f.entry().call.id()));
    return ids;
  }

  private static void lift(Entry call) {
    call.prev.next = call.next;
    if (call.next != null) {
      call.next.prev = call.prev;
    }
    Entry ret = call.match;
    ret.prev.next = ret.next;
    if (ret.next != null) {
      ret.next.prev = ret.prev;
    }
  }

  private static void unlift(Entry call) {
    Entry ret = call.match;
    ret.prev.next = ret;
    if (ret.next != null) {
      ret.next.prev = ret;
    }
    call.prev.next = call;
    if (call.next != null) {
      call.next.prev = call;
    }
  }
}
