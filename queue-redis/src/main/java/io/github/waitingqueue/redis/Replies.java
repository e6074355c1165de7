package io.github.waitingqueue.redis;

import io.github.waitingqueue.EnterOutcome;
import io.github.waitingqueue.EtaBasis;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.EventState;
import io.github.waitingqueue.JoinOutcome;
import io.github.waitingqueue.PerUserLimit;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.WaitingQueueException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every script's arguments and reply, encoded and decoded here and nowhere else. The order of each
 * reply is the one its script's header documents; settings and stats travel by name.
 */
final class Replies {
  private static final TicketState[] TICKET_STATES = TicketState.values();
  private static final JoinOutcome[] JOIN_OUTCOMES = JoinOutcome.values();
  private static final EnterOutcome[] ENTER_OUTCOMES = EnterOutcome.values();
  private static final PerUserLimit[] PER_USER_LIMITS = PerUserLimit.values();
  private static final EtaBasis[] ETA_BASES = EtaBasis.values();

  private Replies() {}

  /** join.lua's reply. */
  record Join(JoinOutcome outcome, long sequence, TicketState state, long position, long eta, long evicted,
      long joinedSecond, long incarnation) {
    static Join of(Object reply) {
      List<Long> r = longs(reply, 8);
      return new Join(JOIN_OUTCOMES[r.get(0).intValue()], r.get(1), TICKET_STATES[r.get(2).intValue()], r.get(3),
          r.get(4), r.get(5), r.get(6), r.get(7));
    }
  }

  /**
   * mirror.lua's reply: one catch-up of a line mirror.
   *
   * @param incarnation the event's incarnation: -1 when it does not exist or is being purged, 0 for an event
   *     created before incarnations were recorded
   * @param runId the Redis process's run id ('' where INFO is refused)
   * @param state the event's state as state_of computes it ('open', 'paused', ...)
   * @param sequence the sequence counter: every ticket up to it has joined
   * @param prequeueTop the highest pre-queue sequence issued
   * @param drawKeys the draw's round keys, space separated ('' when never scheduled)
   * @param feedBase the ordinal of the feed's first entry
   * @param feedLength the feed's length
   * @param entries the order units from the ordinal asked for
   * @param joins for each entry, whether it is a join to a lane (else a ticket that left the line)
   * @param lineSize how many tickets are in line
   * @param allowance how many positions from the head may enter
   * @param etaRate admissions per second that ETAs assume
   * @param idleMs the idle timeout
   * @param now the instant of the catch-up, in the queue's clock
   * @param lapsed whether the feed had lapsed (nobody read it for a while)
   * @param evicted tickets the catch-up's sweep evicted
   * @param measured whether the ETA rate is a measured one
   * @param capacityFree reservations that fit beyond the allowance, or -1 when the capacity cannot bind an
   *     ETA (see {@link io.github.waitingqueue.internal.QueueRules#eta})
   * @param endsRate reservations ending a second, when {@code capacityFree} is not -1
   */
  record Mirror(long incarnation, String runId, String state, long sequence, long prequeueTop, String drawKeys,
      long feedBase, long feedLength, long[] entries, boolean[] joins, long lineSize, long allowance, double etaRate, long idleMs,
      long now, boolean lapsed, long evicted, boolean measured, long capacityFree, double endsRate) {
    static Mirror of(Object reply) {
      List<?> r = list(reply);
      if (r.size() != 19) {
        throw new WaitingQueueException("unexpected mirror reply: " + r);
      }
      List<?> feed = list(r.get(8));
      long[] entries = new long[feed.size()];
      boolean[] joins = new boolean[feed.size()];
      for (int i = 0; i < entries.length; i++) {
        String entry = string(feed.get(i));
        joins[i] = entry.startsWith("+");
        entries[i] = Long.parseLong(joins[i] ? entry.substring(1) : entry);
      }
      return new Mirror(number(r.get(0)), string(r.get(1)), string(r.get(2)), number(r.get(3)), number(r.get(4)),
          string(r.get(5)), number(r.get(6)), number(r.get(7)), entries, joins, number(r.get(9)), number(r.get(10)),
          Double.parseDouble(string(r.get(11))), number(r.get(12)), number(r.get(13)), number(r.get(14)) == 1,
          number(r.get(15)), number(r.get(16)) == 1, number(r.get(17)), Double.parseDouble(string(r.get(18))));
    }
  }

  /** line.lua's reply: the order units of a chunk of the line, in line order. */
  static long[] units(Object reply) {
    List<?> r = list(reply);
    long[] units = new long[r.size()];
    for (int i = 0; i < units.length; i++) {
      units[i] = number(r.get(i));
    }
    return units;
  }

  /** status.lua's reply. */
  record Status(TicketState state, long position, long eta, long waited, long evicted, long idle, EtaBasis basis) {
    static Status of(Object reply) {
      List<Long> r = longs(reply, 7);
      return new Status(TICKET_STATES[r.get(0).intValue()], r.get(1), r.get(2), r.get(3), r.get(4), r.get(5),
          ETA_BASES[r.get(6).intValue()]);
    }
  }

  /**
   * enter.lua's reply: {@code value} is the lease expiry (ms) when admitted and the position when not
   * ready; {@code fresh} says the admission was made by this call.
   */
  record Enter(EnterOutcome outcome, long value, long eta, long evicted, boolean fresh) {
    static Enter of(Object reply) {
      List<Long> r = longs(reply, 5);
      return new Enter(ENTER_OUTCOMES[r.get(0).intValue()], r.get(1), r.get(2), r.get(3), r.get(4) == 1);
    }
  }

  /** stats.lua's reply, read by name into the stats and the settings. */
  record Stats(Map<String, String> fields) {
    static Stats of(Object reply) {
      List<?> r = list(reply);
      Map<String, String> fields = new HashMap<>();
      for (int i = 0; i + 1 < r.size(); i += 2) {
        fields.put(string(r.get(i)), string(r.get(i + 1)));
      }
      if (!fields.containsKey("exists")) {
        throw new WaitingQueueException("unexpected stats reply: " + fields);
      }
      return new Stats(fields);
    }

    boolean exists() {
      return number("exists") == 1;
    }

    QueueStats stats(String eventId) {
      if (!exists()) {
        return QueueStats.absent(eventId);
      }
      long opens = number("opens");
      return QueueStats.builder(eventId)
          .state(EventState.valueOf(fields.get("state").toUpperCase(Locale.ROOT)))
          .opensAt(opens == 0 ? null : Instant.ofEpochMilli(opens))
          .waiting(number("waiting")).waitingByPriority(byPriority(fields.get("bypriority"))).admitted(number("admitted"))
          .totalJoined(number("joined")).totalEntered(number("entered")).totalLeft(number("left"))
          .totalEvicted(number("evicted")).totalReleased(number("released")).totalCompleted(number("completed"))
          .totalPurged(number("purged"))
          .measuredAdmissionRate(Double.parseDouble(fields.get("measured")))
          .measuredEndRate(Double.parseDouble(fields.get("ends")))
          .drawCommitment(fields.get("commit")).drawSeed(fields.get("seed"))
          .inventory(number("inv"))
          .build();
    }

    EventSettings settings() {
      return EventSettings.builder()
          .admissionRate(Double.parseDouble(fields.get("rate")))
          .burst((int) number("burst"))
          .capacity((int) number("cap"))
          .reservationTtl(Duration.ofMillis(number("ttl")))
          .idleTimeout(Duration.ofMillis(number("idle")))
          .readyGrace(Duration.ofMillis(number("grace")))
          .auditTrail(number("audit") == 1)
          .auditMaxLength((int) number("auditmax"))
          .inventory((int) number("inv"))
          .perUserLimit(PER_USER_LIMITS[(int) number("ppu")])
          .lanes(lanes(fields.get("lanes")))
          .build();
    }

    /** 'priority:count,...' as stats.lua writes it. */
    private static Map<Integer, Long> byPriority(String text) {
      Map<Integer, Long> counts = new HashMap<>();
      if (text != null && !text.isEmpty()) {
        for (String pair : text.split(",")) {
          int colon = pair.indexOf(':');
          counts.put(Integer.parseInt(pair.substring(0, colon)), Long.parseLong(pair.substring(colon + 1)));
        }
      }
      return counts;
    }

    private long number(String name) {
      String v = fields.get(name);
      if (v == null) {
        throw new WaitingQueueException("stats reply lacks " + name + ": " + fields);
      }
      return Long.parseLong(v);
    }
  }

  /** The lanes as the scripts keep them: 'name=priority,...', or '-' for none (a value without spaces). */
  static String lanes(Map<String, Integer> lanes) {
    if (lanes.isEmpty()) {
      return "-";
    }
    StringBuilder text = new StringBuilder();
    lanes.forEach((name, priority) -> text.append(text.length() == 0 ? "" : ",").append(name).append('=').append(priority));
    return text.toString();
  }

  /** The lanes from their text in the scripts ('-', or absent for an event created before lanes, for none). */
  static Map<String, Integer> lanes(String text) {
    Map<String, Integer> lanes = new LinkedHashMap<>();
    if (text != null && !text.equals("-")) {
      for (String lane : text.split(",")) {
        int eq = lane.lastIndexOf('=');
        lanes.put(lane.substring(0, eq), Integer.parseInt(lane.substring(eq + 1)));
      }
    }
    return lanes;
  }

  /** The settings as the scripts take them: name, value pairs (see common.lua's settings_from). */
  static List<String> settings(EventSettings s) {
    return List.of("rate", Double.toString(s.admissionRate()), "burst", Integer.toString(s.burst()),
        "cap", Integer.toString(s.capacity()), "ttl", Long.toString(s.reservationTtl().toMillis()),
        "idle", Long.toString(s.idleTimeout().toMillis()), "grace", Long.toString(s.readyGrace().toMillis()),
        "audit", s.auditTrail() ? "1" : "0", "auditmax", Integer.toString(s.auditMaxLength()),
        "inv", Integer.toString(s.inventory()), "ppu", Integer.toString(s.perUserLimit().ordinal()),
        "lanes", lanes(s.lanes()));
  }

  /** The arguments of a call: the time (or '' for Redis TIME), then the operation's own. */
  static List<String> args(String now, List<String> rest, String... first) {
    List<String> args = new ArrayList<>(1 + first.length + rest.size());
    args.add(now);
    args.addAll(List.of(first));
    args.addAll(rest);
    return args;
  }

  static long number(Object reply) {
    if (reply instanceof Long) {
      return (Long) reply;
    }
    throw new WaitingQueueException("unexpected script reply: " + reply);
  }

  static List<?> list(Object reply) {
    if (!(reply instanceof List)) {
      throw new WaitingQueueException("unexpected script reply: " + reply);
    }
    return (List<?>) reply;
  }

  static String string(Object o) {
    if (o instanceof byte[]) {
      return new String((byte[]) o, StandardCharsets.UTF_8);
    }
    return String.valueOf(o);
  }

  @SuppressWarnings("unchecked")
  private static List<Long> longs(Object reply, int size) {
    List<?> list = list(reply);
    if (list.size() != size) {
      throw new WaitingQueueException("unexpected script reply: " + list);
    }
    for (Object o : list) {
      if (!(o instanceof Long)) {
        throw new WaitingQueueException("unexpected script reply element: " + o);
      }
    }
    return (List<Long>) list;
  }
}
