package io.github.waitingqueue.history;

import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.WaitingQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Many threads making random join / status / enter / leave / release (and optionally stats) calls
 * against one event, recorded in a {@link History}. The threads share what they learn (tokens handed
 * out, tickets believed waiting, reservations held), so they also race on the same tickets: concurrent
 * enters and leaves of one token, releases of a reservation being released, status of a ticket entering.
 *
 * @param threads concurrent callers
 * @param users distinct user ids; fewer users than calls means repeated joins and re-joins after leaving
 * @param callsPerThread calls each thread makes, or 0 to run for {@code duration}
 * @param duration how long to run when {@code callsPerThread} is 0
 * @param withStats whether stats calls are in the mix (they are not in the linearizability model)
 * @param seed random seed; the interleaving is the scheduler's
 */
public record Workload(int threads, int users, int callsPerThread, Duration duration, boolean withStats, long seed) {
  /** A timed run also stops after this many calls, to bound memory and checking time (in-memory calls are fast); {@code -Dhistories.maxCalls} changes it. */
  public static final int MAX_CALLS = Integer.getInteger("histories.maxCalls", 300_000);

  /**
   * A small workload for linearizability checking: a few threads, a few calls each.
   *
   * @param threads callers
   * @param callsPerThread calls each
   * @param seed random seed
   * @return the workload
   */
  public static Workload small(int threads, int callsPerThread, long seed) {
    return new Workload(threads, 4, callsPerThread, Duration.ZERO, false, seed);
  }

  /**
   * A stress workload running for a while.
   *
   * @param threads callers
   * @param users distinct users
   * @param duration how long
   * @param seed random seed
   * @return the workload
   */
  public static Workload timed(int threads, int users, Duration duration, long seed) {
    return new Workload(threads, users, 0, duration, true, seed);
  }

  /**
   * Runs the workload against one event and returns the recorded history.
   *
   * @param queue the queue under test
   * @param eventId the event, already configured
   * @return the history
   * @throws Exception when a thread failed with anything but QueueUnavailableException
   */
  public History run(WaitingQueue queue, String eventId) throws Exception {
    return run(List.of(queue), eventId);
  }

  /**
   * Runs the workload against one event through several queue objects (as several application instances
   * would): thread {@code t} calls {@code queues.get(t % queues.size())}.
   *
   * @param queues the queue objects, all on the same store
   * @param eventId the event, already configured
   * @return the history
   * @throws Exception when a thread failed with anything but QueueUnavailableException
   */
  public History run(List<WaitingQueue> queues, String eventId) throws Exception {
    return run(queues, eventId, Map.of());
  }

  /**
   * Runs the workload with joins to lanes: half the joins name one of {@code lanes}, picked at random, the
   * others join the general line. Threads aim their enters at the head of the line, lanes first.
   *
   * @param queues the queue objects, all on the same store
   * @param eventId the event, already configured with the lanes
   * @param lanes the lanes joins pick from, with their priorities
   * @return the history
   * @throws Exception when a thread failed with anything but QueueUnavailableException
   */
  public History run(List<WaitingQueue> queues, String eventId, Map<String, Integer> lanes) throws Exception {
    History history = new History(queues.get(0));
    Shared shared = new Shared();
    List<String> names = new ArrayList<>(lanes.keySet());
    CyclicBarrier start = new CyclicBarrier(threads);
    long deadline = System.nanoTime() + duration.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          Random random = new Random(seed * 1_000 + thread);
          start.await();
          for (int i = 0; callsPerThread > 0 ? i < callsPerThread
              : System.nanoTime() < deadline && history.size() < MAX_CALLS; i++) {
            oneCall(history, queues.get(thread % queues.size()), shared, thread, random, eventId, names, lanes);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(duration.toSeconds() + 120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return history;
  }

  /** What the threads know: handed-out tokens and held reservations. */
  private static final class Shared {
    final List<String> tokens = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Boolean> knownTokens = new ConcurrentHashMap<>();
    final ConcurrentSkipListMap<Long, String> believedWaiting = new ConcurrentSkipListMap<>();
    final Map<String, Long> orderOf = new ConcurrentHashMap<>();
    final List<String> reservations = Collections.synchronizedList(new ArrayList<>());

    /** Learns a token; {@code order} is where it stands, its lane's priority above its sequence. */
    void learn(JoinResult r, long order) {
      if (knownTokens.putIfAbsent(r.waitingToken(), Boolean.TRUE) == null) {
        tokens.add(r.waitingToken());
      }
      orderOf.put(r.waitingToken(), order);
      believedWaiting.put(order, r.waitingToken());
    }

    void forget(String token) {
      Long order = orderOf.get(token);
      if (order != null) {
        believedWaiting.remove(order, token);
      }
    }

    String anyToken(Random random) {
      synchronized (tokens) {
        return tokens.isEmpty() ? null : tokens.get(random.nextInt(tokens.size()));
      }
    }

    String waitingToken(Random random, int amongFirst) {
      List<String> first = new ArrayList<>();
      for (String token : believedWaiting.values()) {
        first.add(token);
        if (first.size() == amongFirst) {
          break;
        }
      }
      return first.isEmpty() ? anyToken(random) : first.get(random.nextInt(first.size()));
    }

    String reservation(Random random) {
      synchronized (reservations) {
        return reservations.isEmpty() ? null : reservations.get(random.nextInt(reservations.size()));
      }
    }
  }

  private void oneCall(History h, WaitingQueue q, Shared shared, int thread, Random random, String eventId,
      List<String> names, Map<String, Integer> lanes) {
    int dice = random.nextInt(100);
    String token = shared.anyToken(random);
    if (token == null || dice < 25) {
      String user = "u" + random.nextInt(users);
      String lane = names.isEmpty() || random.nextBoolean() ? null : names.get(random.nextInt(names.size()));
      JoinResult r = h.call(thread, Call.Kind.JOIN, Call.joinArgument(user, lane), () -> q.join(eventId, user, lane));
      if (r != null && r.outcome() == io.github.waitingqueue.JoinOutcome.JOINED) {
        long priority = lane == null ? 0 : lanes.get(lane);
        shared.learn(r, Tickets.of(r.waitingToken()).sequence() - (priority << 42));
      } else if (r != null && !shared.orderOf.containsKey(r.waitingToken())) {
        shared.learn(r, Tickets.of(r.waitingToken()).sequence()); // joined earlier by another thread, lane unknown
      }
    } else if (dice < 45) {
      String t = random.nextInt(5) == 0 ? token : shared.waitingToken(random, Integer.MAX_VALUE);
      TicketStatus s = h.call(thread, Call.Kind.STATUS, t, () -> q.status(t));
      if (s != null && !s.inLine()) {
        shared.forget(t);
      }
    } else if (dice < 75) {
      String t = random.nextInt(6) == 0 ? token : shared.waitingToken(random, 3);
      EnterResult r = h.call(thread, Call.Kind.ENTER, t, () -> q.enter(t));
      if (r != null && r.admitted()) {
        shared.forget(t);
        shared.reservations.add(r.reservation().orElseThrow().token());
      } else if (r != null && !r.outcome().equals(io.github.waitingqueue.EnterOutcome.NOT_READY)) {
        shared.forget(t);
      }
    } else if (dice < 85) {
      String t = random.nextInt(4) == 0 ? token : shared.waitingToken(random, Integer.MAX_VALUE);
      Boolean left = h.call(thread, Call.Kind.LEAVE, t, () -> q.leave(t));
      if (left != null) {
        shared.forget(t);
      }
    } else if (dice < 95 || !withStats) {
      String r = shared.reservation(random);
      if (r == null) {
        h.call(thread, Call.Kind.STATUS, token, () -> q.status(token));
        return;
      }
      h.call(thread, Call.Kind.RELEASE, r, () -> q.release(r));
    } else {
      h.call(thread, Call.Kind.STATS, eventId, () -> q.stats(eventId));
    }
  }
}
