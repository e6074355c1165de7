package io.github.waitingqueue.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Throughput at a fixed concurrency, the way redis-benchmark measures it: {@code threads} threads, each
 * with one call in flight, each taking the next index until {@code count} calls are done.
 */
final class ClosedLoop {
  private ClosedLoop() {}

  /** Runs {@code call} for indexes 0 to count-1 on {@code threads} threads; returns calls per second. */
  static double run(int threads, long count, LongConsumer call) throws InterruptedException {
    long start = System.nanoTime();
    forEachIndex(threads, count, "closed-loop", call);
    return count * 1e9 / (System.nanoTime() - start);
  }

  /**
   * Runs {@code call} for indexes 0 to count-1 on {@code threads} threads, each taking the next index when
   * its call returns, and waits for all of them.
   *
   * @throws IllegalStateException with the first failure when any call threw
   */
  static void forEachIndex(int threads, long count, String name, LongConsumer call) throws InterruptedException {
    AtomicLong next = new AtomicLong();
    List<Thread> workers = new ArrayList<>(threads);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(new Thread(() -> {
        try {
          for (long i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            call.accept(i);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }, name + "-" + t));
    }
    workers.forEach(Thread::start);
    for (Thread w : workers) {
      w.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a call failed", failures.get(0));
    }
  }
}
