package io.github.waitingqueue.history;

import io.github.waitingqueue.QueueUnavailableException;
import io.github.waitingqueue.WaitingQueue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Records calls made to a {@link WaitingQueue} by many threads: each with its start, end and result.
 * Only {@link QueueUnavailableException} is recorded as a failure (outcome unknown); any other exception
 * is a bug and is rethrown.
 */
public final class History {
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final WaitingQueue queue;

  /**
   * A history of calls to one queue.
   *
   * @param queue the queue under test
   */
  public History(WaitingQueue queue) {
    this.queue = queue;
  }

  /**
   * The queue the calls go to.
   *
   * @return the queue
   */
  public WaitingQueue queue() {
    return queue;
  }

  /**
   * Makes and records one call.
   *
   * @param thread the caller's number
   * @param kind the operation
   * @param argument what it is called with
   * @param operation the call itself
   * @param <T> the result type
   * @return the result, or null when the call failed with QueueUnavailableException
   */
  public <T> T call(int thread, Call.Kind kind, String argument, Supplier<T> operation) {
    long start = System.nanoTime();
    try {
      T result = operation.get();
      calls.add(new Call(ids.getAndIncrement(), thread, kind, argument, start, System.nanoTime(), result, null));
      return result;
    } catch (QueueUnavailableException e) {
      calls.add(new Call(ids.getAndIncrement(), thread, kind, argument, start, System.nanoTime(), null, e));
      return null;
    }
  }

  /**
   * Every call recorded so far, by start time.
   *
   * @return a copy
   */
  public List<Call> calls() {
    List<Call> list = new ArrayList<>(calls);
    list.sort(Comparator.comparingLong(Call::start));
    return list;
  }

  /**
   * How many calls have been recorded.
   *
   * @return the count
   */
  public int size() {
    return ids.get();
  }

  /**
   * How many calls failed with QueueUnavailableException.
   *
   * @return the count
   */
  public long failures() {
    return calls.stream().filter(c -> !c.ok()).count();
  }
}
