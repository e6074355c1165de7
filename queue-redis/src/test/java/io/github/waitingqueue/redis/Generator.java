package io.github.waitingqueue.redis;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.PerUserLimit;
import io.github.waitingqueue.EventState;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Draws the steps of one differential sequence from its seed. Weighted so that the states where the two
 * implementations could part happen often: a few users on one or two events with small bursts and
 * capacities (people ready at the head, capacity full), short reservation lifetimes, idle timeouts and
 * ready graces that clock steps overshoot or hit exactly, scheduled openings a few seconds ahead, and
 * long steps over which the measured admission rate decays.
 *
 * <p>It reads the in-memory side (settings, stats, the reservations granted) to aim its clock steps;
 * the steps it returns are plain values, so a sequence replays without it.
 */
final class Generator {
  // rates that are not binary fractions too, so the bucket's arithmetic rounds
  private static final double[] RATES = {0.001, 0.1, 1.0 / 3, 0.5, 0.7, 1, 2, 3, 10, 100};
  private static final int[] BURSTS = {1, 1, 2, 3, 5, 10, 50};
  private static final int[] CAPACITIES = {EventSettings.UNLIMITED, EventSettings.UNLIMITED, 1, 2, 3, 5, 40};
  private static final long[] TTLS = {1_000, 2_000, 5_000, 30_000, 300_000};
  private static final long[] IDLES = {0, 0, 2_000, 3_000, 10_000, 180_000};
  private static final long[] GRACES = {0, 0, 1_000, 3_000, 10_000, 60_000};
  // small inventories, so that sequences sell out, and are raised or lowered again
  /** Lanes a sequence's settings may have: none, presale lanes ahead of the general line, one sharing it. */
  private static final List<Map<String, Integer>> LANES = List.of(Map.of(), Map.of(), Map.of("fan", 2, "pre", 1),
      Map.of("fan", 7), Map.of("gen", 0, "pre", 3));
  private static final int[] INVENTORIES = {EventSettings.UNLIMITED, EventSettings.UNLIMITED, 1, 2, 3, 5};
  private static final PerUserLimit[] LIMITS = {PerUserLimit.NONE, PerUserLimit.NONE, PerUserLimit.ONE_HELD,
      PerUserLimit.ONE_PURCHASE};

  private final SplittableRandom random;
  private final Twin.Scenario scenario;
  private final int users;
  private final boolean busy;
  private final boolean rush;
  private final boolean presale;

  /**
   * A generator for one sequence.
   *
   * @param seed the sequence's seed
   */
  Generator(long seed) {
    this.random = new SplittableRandom(seed);
    // now and then a crowd, to pass the bounded batches (16 tickets swept, 32 ready marks, 16 leases purged)
    this.users = random.nextInt(10) == 0 ? 20 + random.nextInt(21) : 3 + random.nextInt(10);
    this.busy = random.nextInt(5) < 2;
    this.rush = random.nextInt(3) == 0;
    this.presale = random.nextInt(5) == 0;
    EventSettings defaults = random.nextInt(4) == 0 ? EventSettings.defaults() : settings();
    this.scenario = new Twin.Scenario(seed, defaults, random.nextInt(1_000), 1 + random.nextInt(2));
  }

  Twin.Scenario scenario() {
    return scenario;
  }

  /** Random valid settings from the values above. */
  EventSettings settings() {
    return EventSettings.builder()
        .admissionRate(pick(RATES))
        .burst(pick(BURSTS))
        .capacity(pick(CAPACITIES))
        .reservationTtl(Duration.ofMillis(pick(TTLS)))
        .idleTimeout(Duration.ofMillis(pick(IDLES)))
        .readyGrace(Duration.ofMillis(pick(GRACES)))
        .auditTrail(random.nextInt(3) > 0)
        .auditMaxLength(random.nextBoolean() ? 100 : 100_000)
        .inventory(pick(INVENTORIES))
        .perUserLimit(LIMITS[random.nextInt(LIMITS.length)])
        .lanes(LANES.get(random.nextInt(LANES.size())))
        .build();
  }

  /**
   * A join: half of them to a lane when the event has lanes (one of its own, now and then one it lacks), the
   * general line otherwise, and now and then a lane of an event that has none.
   */
  private Op join(Side side, int event) {
    List<String> lanes = side.queue().settings(side.eventId(event)).map(s -> List.copyOf(s.lanes().keySet()))
        .orElse(List.of());
    int dice = random.nextInt(16);
    String lane = dice == 0 ? "nope" // a lane no event has
        : dice < 8 && !lanes.isEmpty() ? lanes.get(random.nextInt(lanes.size()))
        : dice == 8 ? "fan" // a lane the event may lack
        : null;
    return Op.join(event, random.nextInt(users), lane);
  }

  /**
   * The same settings with one of them changed: turning the idle timeout, the ready grace, the capacity or
   * the audit trail off and on again is where state kept for one setting can outlive it.
   */
  private EventSettings tweak(EventSettings current) {
    EventSettings.Builder b = current.toBuilder();
    switch (random.nextInt(10)) {
      case 9:
        return b.lanes(LANES.get(random.nextInt(LANES.size()))).build();
      case 7:
        return b.inventory(pick(INVENTORIES)).build();
      case 8:
        return b.perUserLimit(LIMITS[random.nextInt(LIMITS.length)]).build();
      case 0:
        return b.idleTimeout(Duration.ofMillis(pick(IDLES))).build();
      case 1:
        return b.readyGrace(Duration.ofMillis(pick(GRACES))).build();
      case 2:
        return b.capacity(pick(CAPACITIES)).build();
      case 3:
        return b.auditTrail(!current.auditTrail()).build();
      case 4:
        return b.admissionRate(pick(RATES)).build();
      case 5:
        return b.burst(pick(BURSTS)).build();
      default:
        return b.reservationTtl(Duration.ofMillis(pick(TTLS))).build();
    }
  }

  /**
   * The next step.
   *
   * @param twin the queues so far (the in-memory side is read to aim)
   * @return the step
   */
  Op next(Twin twin) {
    Side side = twin.memory();
    int e = random.nextInt(scenario.events());
    int back = random.nextInt(8) == 0 ? 1 + random.nextInt(2) : 0;
    QueueStats stats = side.queue().stats(side.eventId(e));
    if (busy && random.nextInt(5) == 0) {
      return Op.advance(clockStep(twin, e, stats));
    }
    if (presale && twin.clock().millis() == TestClock.START_MILLIS + scenario.clockOffsetMillis()
        && stats.totalJoined() == 0 && !stats.exists()) {
      return Op.schedule(e, 1_000 + random.nextInt(20_000)); // a sale that opens at a set time
    }
    if (side.usersByLastJoin(e).isEmpty() && random.nextInt(3) > 0) {
      return join(side, e); // nobody to call with yet
    }
    if (rush && random.nextInt(3) == 0) {
      // a rush: people join and the head enters, so that the measured rate has admissions to measure
      return random.nextBoolean() ? join(side, e) : Op.enter(e, waiter(side, e), 0);
    }
    if (stats.state() == EventState.SOLD_OUT && stats.admitted() > 0 && random.nextBoolean()) {
      return Op.complete(e, holder(side, e), 0); // those still holding a reservation try to buy what is gone
    }
    if (stats.state() == EventState.SOLD_OUT && stats.waiting() > 0 && random.nextInt(3) == 0) {
      return Op.status(e, waiter(side, e), 0); // those still in line hear that the sale is over
    }
    if (stats.state() == EventState.SOLD_OUT && random.nextInt(4) == 0) {
      // a sold-out sale gets more items (or is left as it is and closed in time)
      return Op.configure(e, side.queue().settings(side.eventId(e)).map(x -> x.toBuilder()
          .inventory(x.inventory() + 1 + random.nextInt(3)).build()).orElseGet(this::settings));
    }
    if (stats.state() != EventState.OPEN && stats.state() != EventState.SCHEDULED && random.nextInt(8) == 0) {
      return Op.open(e); // a paused or closed event is resumed soon, so the line moves again
    }
    int w = random.nextInt(100);
    if (w < 20) {
      return Op.advance(clockStep(twin, e, stats));
    } else if (w < 34) {
      return join(side, e);
    } else if (w < 47) {
      return Op.status(e, waiter(side, e), back);
    } else if (w < 64) {
      return Op.enter(e, waiter(side, e), back);
    } else if (w < 67) {
      return Op.leave(e, waiter(side, e), back);
    } else if (w < 70) {
      return Op.verify(e, holder(side, e), back);
    } else if (w < 73) {
      return Op.complete(e, holder(side, e), back);
    } else if (w < 76) {
      return Op.release(e, holder(side, e), back);
    } else if (w < 78) {
      return random.nextBoolean() ? Op.stats(e) : Op.settings(e);
    } else if (w < 81) {
      return Op.configure(e, side.queue().settings(side.eventId(e)).filter(x -> random.nextBoolean())
          .map(this::tweak).orElseGet(this::settings));
    } else if (w < 84) {
      return Op.open(e);
    } else if (w < 86) {
      return Op.pause(e);
    } else if (w < 87) {
      return Op.close(e);
    } else if (w < 89) {
      return Op.schedule(e, opening());
    } else if (w < 91 || (w < 94 && stats.state() == EventState.CLOSED)) {
      return Op.purge(e);
    } else if (w < 95 && stats.totalEvicted() == 0) {
      return Op.sweep(e);
    }
    // read the trail more once something was evicted: evictions are what an audit trail is read for
    return Op.audit(e, random.nextInt(4), 1 + random.nextInt(5));
  }

  /**
   * A user who was given a waiting token, mostly one of those who joined first (the head of the line is
   * where admissions and ready graces happen); now and then anybody.
   */
  private int waiter(Side side, int event) {
    List<Integer> joined = side.usersByLastJoin(event);
    if (joined.isEmpty() || random.nextInt(10) == 0) {
      return random.nextInt(users);
    }
    return joined.get(Math.min(random.nextInt(joined.size()), random.nextInt(joined.size())));
  }

  /** A user who was granted a reservation, mostly; now and then anybody. */
  private int holder(Side side, int event) {
    List<Integer> holders = side.holders(event);
    if (holders.isEmpty() || random.nextInt(10) == 0) {
      return random.nextInt(users);
    }
    return holders.get(random.nextInt(holders.size()));
  }

  /**
   * An opening a few seconds ahead mostly; sometimes already past, sometimes an hour away, and now and
   * then about 100 years away either way, where openings begin to be refused.
   */
  private long opening() {
    int k = random.nextInt(20);
    if (k < 2) {
      return -random.nextInt(5_000);
    } else if (k < 4) {
      return 3_600_000;
    } else if (k == 4) {
      long century = Duration.ofDays(36_525).toMillis();
      return (random.nextBoolean() ? 1 : -1) * (century + random.nextLong(-86_400_000L, 86_400_000L));
    }
    return 200 + random.nextInt(20_000);
  }

  /**
   * A clock step: often none or a short one, sometimes one that lands exactly on (or just past) a
   * moment where something changes (a reservation's expiry, the opening, an idle timeout or a ready grace
   * from now), and sometimes a long one (minutes to days) over which the measured rate decays.
   */
  private long clockStep(Twin twin, int event, QueueStats stats) {
    long now = twin.clock().millis();
    int k = random.nextInt(100);
    Optional<EventSettings> settings = twin.memory().queue().settings(twin.memory().eventId(event));
    if (busy && k < 80) {
      // a busy event: calls come more often than the longest silence that is no outage, so its sweeps
      // run and idle waiters and ready tickets that never come age until they are evicted
      return random.nextLong(settings.map(Generator::outageGap).orElse(1_000L));
    } else if (k < 10) {
      return 0;
    } else if (k < 35) {
      return 1 + random.nextInt(999);
    } else if (k < 55) {
      return 1_000 + random.nextInt(4_000);
    } else if (k < 65) {
      return 5_000 + random.nextInt(55_000);
    } else if (k < 71) {
      return 60_000 + random.nextInt(540_000);
    } else if (k < 74) {
      return 3_600_000L + random.nextLong(2 * 86_400_000L);
    }
    List<Long> moments = new ArrayList<>();
    for (Reservation r : twin.memory().reservations(event)) {
      if (r.expiresAt().toEpochMilli() >= now) {
        moments.add(r.expiresAt().toEpochMilli() - now);
      }
    }
    stats.scheduledOpening().ifPresent(at -> moments.add(Math.max(0, at.toEpochMilli() - now)));
    settings.ifPresent(s -> {
      moments.add(s.idleTimeout().toMillis());
      moments.add(s.readyGrace().toMillis());
      moments.add(s.reservationTtl().toMillis());
      if (!s.idleTimeout().isZero()) {
        long window = s.idleTimeout().toMillis() / 2;
        moments.add(window - Math.floorMod(now, window)); // the next heartbeat window
      }
      moments.add(outageGap(s)); // the shortest silence that counts as an outage, if the last call swept
    });
    long moment = moments.isEmpty() ? 1_000 : moments.get(random.nextInt(moments.size()));
    return Math.max(0, moment + random.nextInt(3) - 1);
  }

  /**
   * The shortest silence of an event that restarts idleness and the ready grace: half the shorter of the
   * idle timeout and the ready grace, at least 500 ms; a second when both are off.
   */
  private static long outageGap(EventSettings s) {
    long idle = s.idleTimeout().toMillis();
    long grace = s.readyGrace().toMillis();
    long shortest = idle > 0 && grace > 0 ? Math.min(idle, grace) : Math.max(idle, grace);
    return shortest <= 0 ? 1_000 : Math.max(500, shortest / 2);
  }

  private double pick(double[] values) {
    return values[random.nextInt(values.length)];
  }

  private int pick(int[] values) {
    return values[random.nextInt(values.length)];
  }

  private long pick(long[] values) {
    return values[random.nextInt(values.length)];
  }
}
