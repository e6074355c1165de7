package io.github.waitingqueue.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A fixed offered load without coordinated omission: call {@code i} is due at {@code start + i / rate},
 * whatever happened to earlier calls, and its latency runs from that due time to its reply. A call that
 * starts late because the workers were all busy (Redis or the client fell behind) counts the wait as
 * latency, as a user would feel it.
 */
final class OpenLoop {
  private OpenLoop() {}

  /** One run: latency histograms (µs) per operation, and the rate actually completed. */
  record Result(double offered, double completed, List<Histogram> histograms) {
    /** Whether the schedule was kept: the calls finished at 99% of the offered rate or better. */
    boolean held() {
      return completed >= 0.99 * offered;
    }
  }

  /**
   * Runs {@code count} calls at {@code rate} per second on {@code workers} threads.
   *
   * @param call runs call {@code i} and says which operation it was (an index into the histograms)
   * @param operations how many different operations {@code call} can report
   */
  static Result run(double rate, long count, int workers, int operations, LongFunction<Integer> call)
      throws InterruptedException {
    List<Recorder> recorders = new ArrayList<>();
    for (int o = 0; o < operations; o++) {
      recorders.add(new Recorder(TimeUnit.SECONDS.toMicros(60), 3));
    }
    double intervalNanos = 1e9 / rate;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    AtomicLong lastEnd = new AtomicLong();
    ClosedLoop.forEachIndex(workers, count, "open-loop", i -> {
      long due = start + (long) (i * intervalNanos);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      int op = call.apply(i);
      long end = System.nanoTime();
      recorders.get(op).recordValue(Math.max(0, (end - due) / 1000));
      lastEnd.accumulateAndGet(end, Math::max);
    });
    List<Histogram> histograms = new ArrayList<>();
    for (Recorder r : recorders) {
      histograms.add(r.getIntervalHistogram());
    }
    double completed = count * 1e9 / (lastEnd.get() - start);
    return new Result(rate, completed, histograms);
  }
}
