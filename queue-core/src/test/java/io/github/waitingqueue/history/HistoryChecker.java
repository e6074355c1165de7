package io.github.waitingqueue.history;

import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.JoinOutcome;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.internal.Ticket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a long concurrent history of one event against the queue's invariants. Every check is sound:
 * a call's effect is only known to lie somewhere between its start and its end, so a bound is reported
 * as violated only when no placement of the effects inside their calls would satisfy it.
 *
 * <ul>
 *   <li><b>no ticket lost or doubled</b>: sequence numbers are 1..n, each handed out by exactly one JOINED
 *       join, to one user; a ticket leaves the line at most once (one admission or one leave, not both);
 *       at the end every ticket that did not leave is still in line and every one that did is not found;
 *       each user holds at most one place in line; the counters agree with the history; a ticket whose
 *       join had returned and that nobody had started to remove is never reported not found;</li>
 *   <li><b>exact positions</b>: every position reported (join, status, enter refused) equals the rank of
 *       the ticket at some instant inside its call: between the rank counting only the tickets ahead that
 *       certainly stayed throughout the call and the rank counting all that may still have been there;</li>
 *   <li><b>admissions in queue order within the allowance window</b>: a ticket is admitted only when the
 *       tickets certainly ahead of it throughout its enter are fewer than {@code min(burst, capacity)}; a
 *       ready ticket's position is within that bound too;</li>
 *   <li><b>capacity</b>: reservations certainly held at the same instant (from the end of the admitting
 *       enter to the start of the successful release) never exceed the capacity; nor does stats.admitted;</li>
 *   <li><b>rate</b>: in every window [x, y] of real time, the admissions certainly inside it are at most
 *       {@code burst + rate * (y - x)} (plus 5 ms of clock granularity and 0.1% of clock drift);</li>
 *   <li><b>idempotent enter</b>: every admitted result of one ticket carries the same reservation.</li>
 * </ul>
 */
public final class HistoryChecker {
  private static final double CLOCK_SLACK_SECONDS = 0.005;
  private static final double CLOCK_DRIFT = 0.001;
  private static final long RATE_HORIZON_NANOS = 2_000_000_000L;

  private HistoryChecker() {}

  /**
   * What the event looks like once every thread has stopped.
   *
   * @param statusByToken the status of every waiting token handed out
   * @param stats the event's counters
   */
  public record Final(Map<String, TicketStatus> statusByToken, QueueStats stats) {}

  /**
   * Reads the final state: the status of every token the history's joins returned, and the stats.
   *
   * @param queue the queue, quiescent
   * @param eventId the event
   * @param calls the history
   * @return the observation
   */
  public static Final observe(WaitingQueue queue, String eventId, List<Call> calls) {
    Map<String, TicketStatus> statuses = new LinkedHashMap<>();
    for (Call c : calls) {
      if (c.kind() == Call.Kind.JOIN && c.ok()) {
        String token = ((JoinResult) c.result()).waitingToken();
        statuses.computeIfAbsent(token, queue::status);
      }
    }
    return new Final(statuses, queue.stats(eventId));
  }

  /** One ticket's life as the history shows it. */
  private static final class Life {
    final long sequence;
    /** Where the ticket stands in the line's order: its lane's block above the sequence (as a score is). */
    long order;
    String user;
    String token;
    Call joined;
    final List<Call> admissions = new ArrayList<>();
    final List<Call> leaves = new ArrayList<>();
    final List<Call> releases = new ArrayList<>();
    /** Enters and leaves of unknown outcome (they failed): the ticket may have left from their start on. */
    final List<Call> maybeRemovals = new ArrayList<>();
    /** A sequence number no successful join returned (its join failed): it may or may not be in line. */
    boolean unknown;

    Life(long sequence) {
      this.sequence = sequence;
      this.order = sequence;
    }

    boolean removed() {
      return !admissions.isEmpty() || !leaves.isEmpty();
    }

    /** Earliest instant the ticket may have left the line. */
    long removalStart() {
      if (unknown) {
        return Long.MIN_VALUE;
      }
      long t = earliest(Call::start);
      for (Call c : maybeRemovals) {
        t = Math.min(t, c.start());
      }
      return t;
    }

    /** Latest instant by which it had certainly left the line. */
    long removalEnd() {
      return unknown ? Long.MAX_VALUE : earliest(Call::end);
    }

    private long earliest(java.util.function.ToLongFunction<Call> instant) {
      long t = Long.MAX_VALUE;
      for (List<Call> removals : List.of(admissions, leaves)) {
        for (Call c : removals) {
          t = Math.min(t, instant.applyAsLong(c));
        }
      }
      return t;
    }
  }

  /**
   * Checks the invariants.
   *
   * @param calls the history; every call must have returned (faults are checked by linearizability instead)
   * @param settings the event's settings, unchanged during the history
   * @param clockMoves whether the queue's clock ran during the history (false for a fixed test clock: nothing refills)
   * @param end the final observation
   * @return the violations found, empty when none
   */
  public static List<String> check(List<Call> calls, EventSettings settings, boolean clockMoves, Final end) {
    return check(calls, settings, clockMoves, end, Duration.ZERO);
  }

  /**
   * Checks the invariants of a history whose status answers may be as old as a staleness bound (a line
   * mirror's): every position a status reports must equal the ticket's rank at some instant within
   * [call start - bound, call end]; every other check as {@link #check(List, EventSettings, boolean, Final)}.
   *
   * @param calls the history; every call must have returned
   * @param settings the event's settings, unchanged during the history
   * @param clockMoves whether the queue's clock ran during the history
   * @param end the final observation (made where answers are not stale)
   * @param statusStaleness how old the instant of a status answer may be
   * @return the violations found, empty when none
   */
  public static List<String> check(List<Call> calls, EventSettings settings, boolean clockMoves, Final end,
      Duration statusStaleness) {
    List<String> v = new ArrayList<>();
    TreeMap<Long, Life> lives = new TreeMap<>();
    for (Call c : calls) {
      if (!c.ok()) {
        v.add("a call failed, the invariant checks need a fault-free history: " + c);
      }
    }
    if (!v.isEmpty()) {
      return v;
    }
    // tickets and their lives
    for (Call c : calls) {
      if (c.kind() == Call.Kind.JOIN) {
        JoinResult r = (JoinResult) c.result();
        Ticket t = Tickets.of(r.waitingToken());
        Life life = lives.computeIfAbsent(t.sequence(), Life::new);
        if (life.user != null && !life.user.equals(t.userId())) {
          v.add("sequence " + t.sequence() + " given to two users: " + life.user + " and " + t.userId());
        }
        if (life.token != null && !life.token.equals(r.waitingToken())) {
          v.add("sequence " + t.sequence() + " has two tokens");
        }
        life.user = t.userId();
        life.token = r.waitingToken();
        if (!t.userId().equals(c.joiningUser())) {
          v.add("join of " + c.joiningUser() + " returned a ticket of " + t.userId() + ": " + c);
        }
        if (r.outcome() == JoinOutcome.JOINED) {
          if (life.joined != null) {
            v.add("sequence " + t.sequence() + " JOINED twice: " + life.joined + " and " + c);
          }
          life.joined = c;
          life.order = orderOf(settings, c.joiningLane(), t.sequence());
        }
      }
    }
    for (Call c : calls) {
      if (c.kind() == Call.Kind.ENTER && ((EnterResult) c.result()).admitted()) {
        life(lives, c, v).admissions.add(c);
      } else if (c.kind() == Call.Kind.LEAVE && (Boolean) c.result()) {
        life(lives, c, v).leaves.add(c);
      } else if (c.kind() == Call.Kind.RELEASE && (Boolean) c.result()) {
        Ticket t = Tickets.of(c.argument());
        Life life = lives.get(t.sequence());
        if (life == null) {
          v.add("released a reservation of an unknown ticket: " + c);
        } else {
          life.releases.add(c);
        }
      }
    }
    long expected = 1;
    for (Life life : lives.values()) {
      if (life.sequence != expected++) {
        v.add("sequence numbers have a gap before " + life.sequence);
        expected = life.sequence + 1;
      }
      if (life.joined == null) {
        v.add("sequence " + life.sequence + " was never JOINED, only returned as ALREADY_WAITING");
      }
      if (life.leaves.size() > 1) {
        v.add("ticket " + life.sequence + " left twice: " + life.leaves);
      }
      if (!life.admissions.isEmpty() && !life.leaves.isEmpty()) {
        v.add("ticket " + life.sequence + " both entered and left: " + life.admissions.get(0) + " / " + life.leaves);
      }
      if (life.releases.size() > 1) {
        v.add("reservation of ticket " + life.sequence + " released twice: " + life.releases);
      }
      if (!life.releases.isEmpty() && life.admissions.isEmpty()) {
        v.add("reservation of ticket " + life.sequence + " released but never granted");
      }
      Reservation first = null;
      for (Call c : life.admissions) {
        Reservation r = ((EnterResult) c.result()).reservation().orElseThrow();
        if (first == null) {
          first = r;
        } else if (!first.equals(r)) {
          v.add("ticket " + life.sequence + " got two different reservations: " + first + " and " + r);
        }
      }
    }
    checkFinal(lives, end, v);
    checkPositions(calls, lives, settings, statusStaleness.toNanos(), v);
    checkAdmissions(calls, lives, settings, clockMoves, v);
    return v;
  }

  /**
   * Checks only the positions of a history with faults: calls that failed have an unknown outcome, so a
   * sequence number no successful join returned may or may not be in line, and a ticket whose enter or
   * leave failed may have left from that call's start on. Every position reported must equal the ticket's
   * rank at some instant inside its call (from {@code statusStaleness} before it, for a status).
   *
   * @param calls the history, failed calls included
   * @param settings the event's settings
   * @param statusStaleness how old the instant of a status answer may be
   * @return the violations found, empty when none
   */
  public static List<String> checkPositionsUnderFaults(List<Call> calls, EventSettings settings,
      Duration statusStaleness) {
    List<String> v = new ArrayList<>();
    TreeMap<Long, Life> lives = new TreeMap<>();
    for (Call c : calls) {
      if (c.ok() && c.kind() == Call.Kind.JOIN) {
        Ticket t = Tickets.of(((JoinResult) c.result()).waitingToken());
        Life life = lives.computeIfAbsent(t.sequence(), Life::new);
        if (((JoinResult) c.result()).outcome() == JoinOutcome.JOINED) {
          life.joined = c;
        }
      }
    }
    if (lives.isEmpty()) {
      return v;
    }
    for (long s = 1; s < lives.lastKey(); s++) {
      lives.computeIfAbsent(s, Life::new).unknown = true;
    }
    for (Call c : calls) {
      if (c.kind() != Call.Kind.ENTER && c.kind() != Call.Kind.LEAVE) {
        continue;
      }
      Life life = lives.get(Tickets.of(c.argument()).sequence());
      if (life == null) {
        continue;
      }
      if (!c.ok()) {
        life.maybeRemovals.add(c);
      } else if (c.kind() == Call.Kind.ENTER && ((EnterResult) c.result()).admitted()) {
        life.admissions.add(c);
      } else if (c.kind() == Call.Kind.LEAVE && (Boolean) c.result()) {
        life.leaves.add(c);
      }
    }
    List<Call> answered = calls.stream().filter(Call::ok).toList();
    checkPositions(answered, lives, settings, statusStaleness.toNanos(), v);
    return v.stream().filter(m -> m.startsWith("position ") || m.startsWith("ready at")).toList();
  }

  private static Life life(Map<Long, Life> lives, Call c, List<String> v) {
    Ticket t = Tickets.of(c.argument());
    Life life = lives.get(t.sequence());
    if (life == null) {
      v.add("a call acted on a ticket no join returned: " + c);
      life = new Life(t.sequence());
    }
    return life;
  }

  private static void checkFinal(TreeMap<Long, Life> lives, Final end, List<String> v) {
    Map<String, Long> inLineByUser = new HashMap<>();
    long inLine = 0;
    for (Life life : lives.values()) {
      TicketStatus s = end.statusByToken().get(life.token);
      if (s == null) {
        continue;
      }
      if (life.removed() && s.inLine()) {
        v.add("ticket " + life.sequence + " left the line but is still in it at the end: " + s);
      }
      if (!life.removed() && !s.inLine()) {
        v.add("ticket " + life.sequence + " was lost: never entered or left, but not found at the end");
      }
      if (s.inLine()) {
        inLine++;
        Long other = inLineByUser.put(life.user, life.sequence);
        if (other != null) {
          v.add("user " + life.user + " holds two places in line: " + other + " and " + life.sequence);
        }
      }
    }
    QueueStats stats = end.stats();
    long admitted = lives.values().stream().filter(l -> !l.admissions.isEmpty()).count();
    long left = lives.values().stream().filter(l -> !l.leaves.isEmpty()).count();
    long released = lives.values().stream().filter(l -> !l.releases.isEmpty()).count();
    expect(v, "stats.waiting", stats.waiting(), inLine);
    expect(v, "stats.totalJoined", stats.totalJoined(), lives.size());
    expect(v, "stats.totalEntered", stats.totalEntered(), admitted);
    expect(v, "stats.totalLeft", stats.totalLeft(), left);
    expect(v, "stats.totalReleased", stats.totalReleased(), released);
    expect(v, "stats.totalEvicted", stats.totalEvicted(), 0);
  }

  private static void expect(List<String> v, String what, long actual, long expected) {
    if (actual != expected) {
      v.add(what + " is " + actual + " but the history says " + expected);
    }
  }

  private static void checkPositions(List<Call> calls, TreeMap<Long, Life> lives, EventSettings settings,
      long statusStaleNanos, List<String> v) {
    long bound = allowanceBound(settings);
    List<Object[]> queries = new ArrayList<>();
    for (Call c : calls) {
      long position;
      boolean ready = false;
      String token = c.argument();
      switch (c.kind()) {
        case JOIN: {
          JoinResult r = (JoinResult) c.result();
          position = r.position();
          ready = r.readyForEntry();
          token = r.waitingToken();
          break;
        }
        case STATUS: {
          TicketStatus s = (TicketStatus) c.result();
          if (!s.inLine()) {
            checkNotLost(c, lives, v);
            continue;
          }
          position = s.position();
          ready = s.state() == TicketState.READY;
          break;
        }
        case ENTER: {
          EnterResult r = (EnterResult) c.result();
          if (r.outcome() == io.github.waitingqueue.EnterOutcome.NOT_FOUND) {
            checkNotLost(c, lives, v);
            continue;
          }
          if (r.admitted()) {
            continue;
          }
          position = r.position();
          break;
        }
        case LEAVE:
          if (!(Boolean) c.result()) {
            checkNotLost(c, lives, v);
          }
          continue;
        case STATS: {
          QueueStats s = (QueueStats) c.result();
          if (settings.hasCapacityLimit() && s.admitted() > settings.capacity()) {
            v.add("stats saw " + s.admitted() + " admitted, above the capacity " + settings.capacity() + ": " + c);
          }
          continue;
        }
        default:
          continue;
      }
      queries.add(new Object[] {c, Tickets.of(token).sequence(), position, ready});
    }
    long[] sequences = new long[queries.size()];
    long[] starts = new long[queries.size()];
    long[] ends = new long[queries.size()];
    for (int i = 0; i < queries.size(); i++) {
      Call c = (Call) queries.get(i)[0];
      sequences[i] = (Long) queries.get(i)[1];
      starts[i] = c.kind() == Call.Kind.STATUS ? c.start() - statusStaleNanos : c.start();
      ends[i] = c.end();
    }
    long[][] ranges = rankRanges(lives, sequences, starts, ends);
    for (int i = 0; i < queries.size(); i++) {
      Call c = (Call) queries.get(i)[0];
      long position = (Long) queries.get(i)[2];
      boolean ready = (Boolean) queries.get(i)[3];
      if (position < ranges[i][0] || position > ranges[i][1]) {
        v.add("position " + position + " is not the rank at any instant of the call (between " + ranges[i][0]
            + " and " + ranges[i][1] + "): " + c);
      }
      if (ready && position > bound) {
        v.add("ready at position " + position + ", beyond min(burst, capacity) = " + bound + ": " + c);
      }
    }
  }

  /** A status, enter or leave that did not find a ticket certainly in line at that time. */
  private static void checkNotLost(Call c, Map<Long, Life> lives, List<String> v) {
    Ticket t = Tickets.of(c.argument());
    Life life = lives.get(t.sequence());
    if (life == null || life.joined == null || life.joined.end() >= c.start()) {
      return;
    }
    if (life.removalStart() > c.end()) {
      v.add("ticket " + t.sequence() + " joined before and was never removed, yet not found: " + c);
    }
  }

  /**
   * Lowest and highest rank each ticket may have had at some instant inside its call: the low rank counts
   * the tickets ahead that certainly stayed in line throughout (not removed, or their removal started
   * after the call ended); the high rank counts all ahead but those certainly gone before the call began.
   * Within a lane the tickets ahead have lower sequences, so they joined before the ticket did; a ticket of a
   * lane ahead may join at any time, so it counts from its join on: certainly once its join returned, possibly
   * once it started.
   */
  private static long[][] rankRanges(TreeMap<Long, Life> lives, long[] sequences, long[] starts, long[] ends) {
    TreeMap<Long, List<Life>> livesByBlock = new TreeMap<>();
    for (Life life : lives.values()) {
      livesByBlock.computeIfAbsent(blockOf(life.order), b -> new ArrayList<>()).add(life);
    }
    TreeMap<Long, List<Integer>> queriesByBlock = new TreeMap<>();
    for (int i = 0; i < sequences.length; i++) {
      Life life = lives.get(sequences[i]);
      queriesByBlock.computeIfAbsent(life == null ? 0 : blockOf(life.order), b -> new ArrayList<>()).add(i);
    }
    long[][] ranges = new long[sequences.length][];
    for (Map.Entry<Long, List<Integer>> e : queriesByBlock.entrySet()) {
      List<Integer> queries = e.getValue();
      long[] seqs = queries.stream().mapToLong(i -> sequences[i]).toArray();
      long[] from = queries.stream().mapToLong(i -> starts[i]).toArray();
      long[] to = queries.stream().mapToLong(i -> ends[i]).toArray();
      List<AheadCounter.Point> removalStarts = new ArrayList<>();
      List<AheadCounter.Point> removalEnds = new ArrayList<>();
      for (Life life : livesByBlock.getOrDefault(e.getKey(), List.of())) {
        removalStarts.add(new AheadCounter.Point(life.sequence, life.removalStart()));
        removalEnds.add(new AheadCounter.Point(life.sequence, life.removalEnd()));
      }
      long[] low = AheadCounter.countAhead(removalStarts, seqs, to, false);
      long[] high = AheadCounter.countAhead(removalEnds, seqs, from, true);
      // the lanes ahead: (join returned, removal started) for certain presence, (join started, removal ended)
      List<AheadCounter.Point> certain = new ArrayList<>();
      List<AheadCounter.Point> possible = new ArrayList<>();
      for (List<Life> lane : livesByBlock.headMap(e.getKey(), false).values()) {
        for (Life life : lane) {
          if (life.joined != null) {
            certain.add(new AheadCounter.Point(life.joined.end(), life.removalStart()));
          }
          possible.add(new AheadCounter.Point(life.joined == null ? Long.MIN_VALUE : life.joined.start(),
              life.removalEnd()));
        }
      }
      if (!possible.isEmpty()) {
        long[] lanesLow = AheadCounter.countAhead(certain, from, to, false);
        long[] lanesHigh = AheadCounter.countAhead(possible,
            java.util.Arrays.stream(to).map(t -> t == Long.MAX_VALUE ? t : t + 1).toArray(), from, true);
        for (int k = 0; k < queries.size(); k++) {
          low[k] += lanesLow[k];
          high[k] += lanesHigh[k];
        }
      }
      for (int k = 0; k < queries.size(); k++) {
        ranges[queries.get(k)] = new long[] {low[k] + 1, high[k] + 1};
      }
    }
    return ranges;
  }

  private static long blockOf(long order) {
    return Math.floorDiv(order, 1L << 42);
  }

  /**
   * The line order of a ticket: the block of its lane (QueueRules.laneBlock of the lane's priority in the
   * settings) above its sequence, so that every ticket of a higher lane comes first.
   */
  private static long orderOf(EventSettings settings, String lane, long sequence) {
    long block = lane == null ? 0 : io.github.waitingqueue.internal.QueueRules.laneBlock(settings.lanes().get(lane));
    return block * (1L << 42) + sequence;
  }

  private static long allowanceBound(EventSettings settings) {
    return settings.hasCapacityLimit() ? Math.min(settings.burst(), settings.capacity()) : settings.burst();
  }

  private static void checkAdmissions(List<Call> calls, TreeMap<Long, Life> lives, EventSettings settings,
      boolean clockMoves, List<String> v) {
    long bound = allowanceBound(settings);
    List<long[]> windows = new ArrayList<>();
    List<long[]> held = new ArrayList<>();
    for (Life life : lives.values()) {
      if (life.admissions.isEmpty()) {
        continue;
      }
      long from = Long.MAX_VALUE;
      long to = Long.MAX_VALUE;
      for (Call c : life.admissions) {
        from = Math.min(from, c.start());
        to = Math.min(to, c.end());
      }
      windows.add(new long[] {from, to, life.sequence});
      long releasedAt = life.releases.isEmpty() ? Long.MAX_VALUE : life.releases.get(0).start();
      if (to < releasedAt) {
        held.add(new long[] {to, releasedAt});
      }
    }
    long[] sequences = windows.stream().mapToLong(w -> w[2]).toArray();
    long[][] ranges = rankRanges(lives, sequences, windows.stream().mapToLong(w -> w[0]).toArray(),
        windows.stream().mapToLong(w -> w[1]).toArray());
    for (int i = 0; i < sequences.length; i++) {
      long certainlyAhead = ranges[i][0] - 1;
      if (certainlyAhead >= bound) {
        v.add("ticket " + sequences[i] + " was admitted with " + certainlyAhead + " tickets certainly ahead of it,"
            + " beyond the allowance window min(burst, capacity) = " + bound);
      }
    }
    if (settings.hasCapacityLimit()) {
      List<long[]> points = new ArrayList<>();
      for (long[] h : held) {
        points.add(new long[] {h[0], 1});
        points.add(new long[] {h[1], -1});
      }
      points.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
      long now = 0;
      for (long[] p : points) {
        now += p[1];
        if (now > settings.capacity()) {
          v.add(now + " reservations certainly held at once, above the capacity " + settings.capacity());
          break;
        }
      }
    }
    double rate = clockMoves ? settings.admissionRate() : 0;
    windows.sort((a, b) -> Long.compare(a[0], b[0]));
    // Every window starting at an admission's start and spanning up to 2 s (quadratic only within that
    // horizon, so long runs stay cheap), then the whole run as one window.
    for (int i = 0; i < windows.size(); i++) {
      long x = windows.get(i)[0];
      List<Long> ends = new ArrayList<>();
      for (int j = i; j < windows.size() && windows.get(j)[0] <= x + RATE_HORIZON_NANOS; j++) {
        ends.add(windows.get(j)[1]);
      }
      ends.sort(null);
      for (int k = 0; k < ends.size(); k++) {
        if (!withinRate(k + 1, ends.get(k) - x, settings, rate, v)) {
          return;
        }
      }
    }
    if (!windows.isEmpty()) {
      long last = windows.stream().mapToLong(w -> w[1]).max().getAsLong();
      withinRate(windows.size(), last - windows.get(0)[0], settings, rate, v);
    }
  }

  private static boolean withinRate(long admissions, long nanos, EventSettings settings, double rate,
      List<String> v) {
    // the bucket runs on the store's wall clock, the history on this JVM's monotonic clock: allow for
    // millisecond rounding and for the wall clock being slewed (NTP slews by at most 0.05%)
    double seconds = nanos / 1e9 * (1 + CLOCK_DRIFT) + CLOCK_SLACK_SECONDS;
    double allowed = settings.burst() + rate * seconds;
    if (admissions > allowed + 1e-9) {
      v.add(admissions + " admissions within " + String.format("%.3f", seconds) + " s, above burst + rate * time = "
          + String.format("%.2f", allowed));
      return false;
    }
    return true;
  }
}
