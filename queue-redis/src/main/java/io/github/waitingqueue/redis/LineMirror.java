package io.github.waitingqueue.redis;

import io.github.waitingqueue.EtaBasis;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.internal.LiveSequences;
import io.github.waitingqueue.internal.Pacing;
import io.github.waitingqueue.internal.QueueRules;
import io.github.waitingqueue.internal.Ticket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process mirrors of the lines of the events this queue serves, so that a status poll far from the
 * head costs Redis nothing: the ticket's position is its rank in the mirror, exact as of the mirror's last
 * catch-up, which is never older than the staleness bound when the answer is given.
 *
 * <p>Each event's mirror holds the order of the live tickets, lane by lane: within a lane, FIFO ones by
 * sequence number, pre-queue ones by their place under the event's draw (computed from the sequence number
 * with the draw's round keys, so the mirror never reads who holds a place). It bootstraps from the line in chunks of
 * {@link QueueRules#LINE_CHUNK} ({@code line.lua}), after it started reading the change feed, then
 * catches up with one {@code mirror.lua} call per refresh interval: the feed's removals and joins to lanes
 * since its ordinal, the sequence counter (joins are dense, so the counter is all the mirror needs to know
 * of those to the general line), and
 * what an answer needs (state, allowance, ETA rate), all at one instant. The same call carries the
 * heartbeats of the polls it answered, so abandonment detection keeps working.
 *
 * <p>It rebuilds, answering nothing meanwhile, whenever it cannot be sure it is current: another
 * incarnation of the event (purged and created again), another Redis process (restart or failover, which
 * may have lost writes), a feed trimmed past its ordinal, lapsed, or shorter than what it read, a
 * sequence counter that went back, another draw, or a line whose size differs from the mirror's count.
 *
 * <p>It answers only WAITING tickets of an open event that stand further back than the allowance plus a
 * headroom for the staleness; everything else ({@code null} from {@link #status}) goes to Redis.
 */
final class LineMirror implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LineMirror.class);
  /** A mirror no status asked for in this long is flushed and dropped. */
  static final long DROP_AFTER_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** Positions right behind the allowance that always go to Redis, beyond the staleness headroom. */
  static final long NEAR_HEAD = 10;

  /** Runs a script of the library on an event: (operation, arguments) by event id. */
  interface Scripts {
    Object run(Operation op, String eventId, List<String> args);
  }

  private final long boundNanos;
  private final long boundMs;
  private final Scripts scripts;
  private final Clock clock;
  private final ObjLongConsumer<String> evictions;
  private final Map<String, Line> lines = new ConcurrentHashMap<>();
  private final LongAdder answered = new LongAdder();
  private final ScheduledExecutorService timer;

  /**
   * @param staleness the bound: an answer reflects the line at an instant no older than this
   * @param scripts runs the library's scripts
   * @param clock the queue's test clock, or null for Redis time
   * @param evictions told how many tickets a catch-up's sweep evicted in an event
   * @param background whether a daemon thread refreshes the mirrors (tests refresh by hand instead)
   */
  LineMirror(Duration staleness, Scripts scripts, Clock clock, ObjLongConsumer<String> evictions, boolean background) {
    this.boundNanos = staleness.toNanos();
    this.boundMs = staleness.toMillis();
    this.scripts = scripts;
    this.clock = clock;
    this.evictions = evictions;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "waiting-queue-line-mirror");
      t.setDaemon(true);
      return t;
    });
    if (background) {
      long every = refreshIntervalMs(staleness);
      timer.scheduleWithFixedDelay(this::refreshAll, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** A quarter of the bound, between 50 ms and 250 ms: also how often heartbeats reach Redis. */
  static long refreshIntervalMs(Duration staleness) {
    return Math.max(50, Math.min(250, staleness.toMillis() / 4));
  }

  /**
   * The status of a ticket from its event's mirror, or null when Redis must answer: the mirror is not
   * built or not fresh enough, the event is not open, the token names another incarnation or none, the
   * ticket is not in the mirror, or it stands within reach of admission.
   */
  TicketStatus status(Ticket ticket) {
    long startNanos = System.nanoTime();
    long startMs = clock == null ? 0 : clock.millis();
    Line line = lines.computeIfAbsent(ticket.eventId(), Line::new);
    line.lastUsedNanos = startNanos;
    if (boundNanos == 0 && !line.fresh(startNanos, startMs)) {
      // a bound of 0: catch up now, then answer from what the line was during this call
      line.catchUp();
    }
    TicketStatus answer = line.answer(ticket, startNanos, startMs);
    if (answer != null) {
      answered.increment();
    }
    return answer;
  }

  /** How many status calls the mirrors answered. */
  long answered() {
    return answered.sum();
  }

  /** Brings every mirror up to date now (tests and benchmarks); returns once each has caught up or failed. */
  void refreshNow() {
    refreshAll();
  }

  private void refreshAll() {
    long now = System.nanoTime();
    for (Line line : lines.values()) {
      try {
        if (now - line.lastUsedNanos > DROP_AFTER_NANOS) {
          line.flush();
          lines.remove(line.eventId, line);
        } else {
          line.catchUp();
        }
      } catch (RuntimeException e) {
        LOG.debug("wq line mirror of event {} could not catch up: {}", line.eventId, e.toString());
      }
    }
  }

  /** Stops refreshing, after sending the heartbeats still held (best effort). */
  @Override
  public void close() {
    timer.shutdownNow();
    for (Line line : lines.values()) {
      try {
        line.flush();
      } catch (RuntimeException e) {
        LOG.debug("wq line mirror of event {} could not send its last heartbeats: {}", line.eventId, e.toString());
      }
    }
  }

  private String nowArg() {
    return clock == null ? "" : Long.toString(clock.millis());
  }

  /** One event's mirror. Catch-ups are serialized by {@link #catchUps}; the state is guarded by this. */
  private final class Line {
    final String eventId;
    final ReentrantLock catchUps = new ReentrantLock();
    volatile long lastUsedNanos;
    // the heartbeats of answered polls not yet sent, for the mirror's incarnation: FIFO tickets as the
    // score to write (score, userId, ...), the others as (userId, sequence, window, ...); see mirror.lua
    private List<String> pendingScores = new ArrayList<>();
    private List<String> pendingTickets = new ArrayList<>();

    // what the mirror was built from: any change means a rebuild
    private boolean built;
    private long incarnation;
    private String runId;
    private long prequeueTop;
    private String drawKeysText;
    private long[] drawKeys;
    // the line: its lanes by block, the general line's (0) last; each ticket with the last heartbeat window
    // sent (tag)
    private TreeMap<Long, LaneIndex> lanes;
    private LaneIndex general;
    private long top;
    private long nextOrdinal;
    // the last complete catch-up: when it was sent (both clocks), and what it said
    private long anchorNanos = Long.MIN_VALUE;
    private long anchorMs = Long.MIN_VALUE;
    private boolean open;
    private long allowance;
    private double etaRate;
    private long capacityFree;
    private double endsRate;
    private EtaBasis etaBasis = EtaBasis.CONFIGURED_RATE;
    private long idleMs;
    private long catchUpNow;

    Line(String eventId) {
      this.eventId = eventId;
    }

    /** Whether the last complete catch-up was sent no earlier than the bound before the call started. */
    synchronized boolean fresh(long startNanos, long startMs) {
      return built && anchorNanos >= startNanos - boundNanos && (clock == null || anchorMs >= startMs - boundMs);
    }

    synchronized TicketStatus answer(Ticket ticket, long startNanos, long startMs) {
      if (!fresh(startNanos, startMs) || !open || ticket.incarnation() != incarnation
          || ticket.joinedSecond() == Ticket.UNKNOWN) {
        return null;
      }
      long seq = ticket.sequence();
      if (seq > top) {
        return null;
      }
      boolean preQueued = seq <= prequeueTop && drawKeys.length > 0 && seq < QueueRules.PRE_BITS;
      long key = preQueued ? QueueRules.drawPlace(drawKeys, seq) : seq;
      // the ticket's lane: the general line's first, the others (a few at most) after
      long block = 0;
      LaneIndex lane = general;
      int slot = lane.slotOf(preQueued, key);
      for (Iterator<Map.Entry<Long, LaneIndex>> it = lanes.entrySet().iterator(); slot < 0 && it.hasNext(); ) {
        Map.Entry<Long, LaneIndex> e = it.next();
        block = e.getKey();
        lane = e.getValue();
        slot = block == 0 ? -1 : lane.slotOf(preQueued, key);
      }
      if (slot < 0) {
        return null;
      }
      long rank = lane.rankAt(preQueued, slot);
      for (LaneIndex ahead : lanes.headMap(block, false).values()) {
        rank += ahead.count();
      }
      LiveSequences index = preQueued ? lane.prequeue : lane.fifo;
      if (rank <= allowance + headroom()) {
        return null;
      }
      long eta = QueueRules.eta(rank - allowance, etaRate, capacityFree, endsRate);
      long now = clock != null ? clock.millis() : catchUpNow + (System.nanoTime() - anchorNanos) / 1_000_000;
      long waited = Math.max(0, Math.floorDiv(now, 1000) - ticket.joinedSecond());
      if (idleMs > 0) {
        // the window of the catch-up's instant: never ahead of Redis's, at most one behind
        int window = (int) QueueRules.window(idleMs, catchUpNow);
        int tag = (window + 1) & 0xFF;
        if (index.tagAt(slot) != tag) {
          index.setTagAt(slot, tag);
          if (!preQueued && window >= QueueRules.HB_WINDOWS) {
            // the score a FIFO ticket's heartbeat writes, applied with ZADD XX GT: no read needed
            pendingScores.add(Long.toString(block * QueueRules.LANE_SPAN + seq * QueueRules.HB_SPAN + window));
            pendingScores.add(ticket.userId());
          } else {
            pendingTickets.add(ticket.userId());
            pendingTickets.add(Long.toString(seq));
            pendingTickets.add(Integer.toString(window));
          }
        }
      }
      return new TicketStatus(TicketState.WAITING, rank, eta, waited,
          Pacing.nextPoll(TicketState.WAITING, rank, eta, idleMs, seq), etaBasis);
    }

    /** Positions behind the allowance that the allowance may reach within the bound, and NEAR_HEAD more. */
    private long headroom() {
      if (boundNanos == 0) {
        return 0;
      }
      return (long) Math.ceil(2 * etaRate * boundNanos / 1e9) + NEAR_HEAD;
    }

    /** Every heartbeat held, taken out: the scores first, then the tickets. */
    private synchronized Heartbeats takeHeartbeats() {
      Heartbeats taken = new Heartbeats(incarnation, pendingScores, pendingTickets);
      pendingScores = new ArrayList<>();
      pendingTickets = new ArrayList<>();
      return taken;
    }

    /** Heartbeats a failed call did not send, kept for the next catch-up (unless the event changed life). */
    private synchronized void giveBack(Heartbeats unsent) {
      if (unsent.incarnation == incarnation) {
        pendingScores.addAll(unsent.scores.subList(unsent.scoresSent, unsent.scores.size()));
        pendingTickets.addAll(unsent.tickets.subList(unsent.ticketsSent, unsent.tickets.size()));
      }
    }

    /** Sends the held heartbeats: with a catch-up when the mirror is built, else alone. */
    void flush() {
      catchUps.lock();
      try {
        if (isBuilt()) {
          follow();
        } else {
          Heartbeats heartbeats = takeHeartbeats();
          if (!heartbeats.done()) {
            sendAll(heartbeats);
          }
        }
      } finally {
        catchUps.unlock();
      }
    }

    /** Bootstraps, or applies what changed since the last catch-up; serialized per line. */
    void catchUp() {
      catchUps.lock();
      try {
        if (!isBuilt()) {
          bootstrap();
        } else {
          follow();
        }
      } finally {
        catchUps.unlock();
      }
    }

    private synchronized boolean isBuilt() {
      return built;
    }

    /** One mirror.lua call, carrying the next batch of the heartbeats (which it marks sent). */
    private Replies.Mirror call(String from, Heartbeats heartbeats) {
      List<String> args = new ArrayList<>();
      args.add(nowArg());
      args.add(from);
      args.add(Long.toString(QueueRules.FEED_READ_MAX));
      int scoresFrom = heartbeats.scoresSent;
      int ticketsFrom = heartbeats.ticketsSent;
      heartbeats.nextBatch(args);
      Replies.Mirror r;
      try {
        r = Replies.Mirror.of(scripts.run(Operation.MIRROR, eventId, args));
      } catch (RuntimeException e) {
        heartbeats.scoresSent = scoresFrom;
        heartbeats.ticketsSent = ticketsFrom;
        giveBack(heartbeats);
        throw e;
      }
      if (r.evicted() > 0) {
        evictions.accept(eventId, r.evicted());
      }
      return r;
    }

    /**
     * Calls mirror.lua without reading the feed until every heartbeat is sent (once at least); returns the
     * last reply, whose instant is the latest.
     */
    private Replies.Mirror sendAll(Heartbeats heartbeats) {
      Replies.Mirror last = call("", heartbeats);
      while (!heartbeats.done()) {
        last = call("", heartbeats);
      }
      return last;
    }

    /** Forgets the line: the next catch-up bootstraps. */
    private synchronized void discard() {
      built = false;
      lanes = null;
      general = null;
    }

    private void bootstrap() {
      Replies.Mirror start = sendAll(takeHeartbeats()); // the mirror starts from the last call's instant
      if (start.incarnation() < 0 || "scheduled".equals(start.state())) {
        return; // no event, one being purged, or a pre-queue still forming: nothing to answer from
      }
      TreeMap<Long, LaneIndex> read = new TreeMap<>();
      read.put(0L, new LaneIndex());
      String cursor = "";
      while (true) {
        long[] units = Replies.units(scripts.run(Operation.LINE, eventId,
            List.of(nowArg(), cursor, Long.toString(QueueRules.LINE_CHUNK))));
        for (long unit : units) {
          long block = blockOfUnit(unit);
          long inLane = unit - block * LANE_UNITS;
          LaneIndex lane = read.computeIfAbsent(block, b -> new LaneIndex());
          if (inLane < 0) {
            lane.prequeue.add(inLane + QueueRules.PRE_BITS);
          } else if (inLane <= start.sequence()) {
            lane.fifo.add(inLane); // later ones come from the counter and the feed, their removals from the feed
          }
        }
        if (units.length < QueueRules.LINE_CHUNK) {
          break;
        }
        cursor = Long.toString(units[units.length - 1]);
      }
      synchronized (this) {
        built = true;
        incarnation = start.incarnation();
        runId = start.runId();
        prequeueTop = start.prequeueTop();
        drawKeysText = start.drawKeys();
        drawKeys = parseKeys(start.drawKeys());
        lanes = read;
        general = read.get(0L);
        top = start.sequence();
        nextOrdinal = start.feedBase() + start.feedLength();
        anchorNanos = Long.MIN_VALUE; // not current until the feed since the start is applied
        anchorMs = Long.MIN_VALUE;
      }
      LOG.debug("wq line mirror of event {} bootstrapped: {} waiting", eventId, count(read));
      follow();
    }

    private void follow() {
      long sentNanos = System.nanoTime();
      long sentMs = clock == null ? 0 : clock.millis();
      long from;
      synchronized (this) {
        from = nextOrdinal;
      }
      List<Replies.Mirror> feed = new ArrayList<>();
      Heartbeats heartbeats = takeHeartbeats();
      Replies.Mirror r = call(Long.toString(from), heartbeats);
      while (true) {
        if (mustRebuild(r, from)) {
          discard();
          if (!heartbeats.done()) {
            sendAll(heartbeats); // the rest of the held heartbeats, without reading the feed
          }
          return;
        }
        feed.add(r);
        from += r.entries().length;
        if (from >= r.feedBase() + r.feedLength() && heartbeats.done()) {
          break;
        }
        // more than one call's worth of entries or heartbeats: read on, and count the line as of the last call
        sentNanos = System.nanoTime();
        sentMs = clock == null ? 0 : clock.millis();
        r = call(Long.toString(from), heartbeats);
      }
      synchronized (this) {
        for (long s = top + 1; s <= r.sequence(); s++) {
          general.fifo.add(s); // a join to another lane has a feed entry, which moves it there below
        }
        top = Math.max(top, r.sequence());
        for (Replies.Mirror read : feed) {
          long[] entries = read.entries();
          for (int i = 0; i < entries.length; i++) {
            long block = blockOfUnit(entries[i]);
            long inLane = entries[i] - block * LANE_UNITS;
            if (!read.joins()[i]) {
              LaneIndex lane = lanes.get(block);
              if (lane != null) {
                lane.remove(inLane);
              }
            } else if (inLane < 0 || !general.fifo.remove(inLane)) {
              // a pre-queue join is followed by a rebuild; a join the counter did not announce cannot be
              LOG.warn("wq line mirror of event {} reads a join it cannot place ({}): rebuilding", eventId, entries[i]);
              discard();
              return;
            } else {
              lanes.computeIfAbsent(block, b -> new LaneIndex()).fifo.add(inLane);
            }
          }
        }
        nextOrdinal = from;
        if (count(lanes) != r.lineSize()) {
          LOG.warn("wq line mirror of event {} counts {} waiting where the line has {}: rebuilding", eventId,
              count(lanes), r.lineSize());
          discard();
          return;
        }
        open = "open".equals(r.state());
        allowance = r.allowance();
        etaRate = r.etaRate();
        capacityFree = r.capacityFree();
        endsRate = r.endsRate();
        etaBasis = r.measured() ? EtaBasis.MEASURED_RATE : EtaBasis.CONFIGURED_RATE;
        idleMs = r.idleMs();
        catchUpNow = r.now();
        anchorNanos = sentNanos;
        anchorMs = sentMs;
      }
    }

    /** Whether the reply shows something the mirror cannot follow from where it is. */
    private synchronized boolean mustRebuild(Replies.Mirror r, long from) {
      boolean rebuild = r.incarnation() != incarnation || !r.runId().equals(runId) || r.lapsed()
          || from < r.feedBase() || from > r.feedBase() + r.feedLength() || r.sequence() < top
          || r.prequeueTop() != prequeueTop || !r.drawKeys().equals(drawKeysText) || "scheduled".equals(r.state());
      if (rebuild) {
        LOG.debug("wq line mirror of event {} rebuilds: incarnation {} -> {}, run {} -> {}, lapsed {}, ordinal {} "
            + "in [{}, {}], sequence {} -> {}", eventId, incarnation, r.incarnation(), runId, r.runId(), r.lapsed(),
            from, r.feedBase(), r.feedBase() + r.feedLength(), top, r.sequence());
      }
      return rebuild;
    }
  }

  /**
   * Heartbeats taken out of a mirror to send, in batches of at most {@link QueueRules#HEARTBEAT_BATCH}
   * per call, as mirror.lua takes them: the incarnation they belong to, the number of scores, the
   * (score, userId) pairs, then (userId, sequence, window) triples.
   */
  private static final class Heartbeats {
    final long incarnation;
    final List<String> scores;
    final List<String> tickets;
    int scoresSent;
    int ticketsSent;

    Heartbeats(long incarnation, List<String> scores, List<String> tickets) {
      this.incarnation = incarnation;
      this.scores = scores;
      this.tickets = tickets;
    }

    boolean done() {
      return scoresSent == scores.size() && ticketsSent == tickets.size();
    }

    /** Appends the next batch to a call's arguments, and counts it sent. */
    void nextBatch(List<String> args) {
      int pairs = (int) Math.min((scores.size() - scoresSent) / 2, QueueRules.HEARTBEAT_BATCH);
      int triples = (int) Math.min((tickets.size() - ticketsSent) / 3, QueueRules.HEARTBEAT_BATCH - pairs);
      args.add(Long.toString(incarnation));
      args.add(Integer.toString(pairs));
      args.addAll(scores.subList(scoresSent, scoresSent + 2 * pairs));
      args.addAll(tickets.subList(ticketsSent, ticketsSent + 3 * triples));
      scoresSent += 2 * pairs;
      ticketsSent += 3 * triples;
    }
  }

  /** Order units per lane block: a block of scores is LANE_SPAN, an order unit HB_SPAN of them. */
  private static final long LANE_UNITS = QueueRules.LANE_SPAN / QueueRules.HB_SPAN;

  /** The lane block of an order unit. */
  private static long blockOfUnit(long unit) {
    return QueueRules.blockOf(unit * QueueRules.HB_SPAN);
  }

  private static long count(Map<Long, LaneIndex> lanes) {
    long n = 0;
    for (LaneIndex lane : lanes.values()) {
      n += lane.count();
    }
    return n;
  }

  /** One lane of a mirrored line: its pre-queue places and its FIFO sequence numbers. */
  private static final class LaneIndex {
    final LiveSequences prequeue = new LiveSequences();
    final LiveSequences fifo = new LiveSequences();

    long count() {
      return prequeue.count() + fifo.count();
    }

    int slotOf(boolean preQueued, long key) {
      return (preQueued ? prequeue : fifo).slotOf(key);
    }

    /** The 1-based rank within the lane of the ticket in this slot. */
    long rankAt(boolean preQueued, int slot) {
      return preQueued ? prequeue.rankAt(slot) : prequeue.count() + fifo.rankAt(slot);
    }

    /** Removes the ticket of an order unit within the lane (a pre-queue place - PRE_BITS, or a sequence). */
    void remove(long inLane) {
      if (inLane < 0) {
        prequeue.remove(inLane + QueueRules.PRE_BITS);
      } else {
        fifo.remove(inLane);
      }
    }
  }

  private static long[] parseKeys(String text) {
    return text.isBlank() ? new long[0] : Arrays.stream(text.trim().split(" ")).mapToLong(Long::parseLong).toArray();
  }
}
