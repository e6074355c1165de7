package io.github.waitingqueue.redis;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.EventState;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.Reservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  private final SplittableRandom random;
  private final Twin.Scenario scenario;
  private final int users;

  /**
   * A generator for one sequence.
   *
   * @param seed the sequence's seed
   */
  Generator(long seed) {
    this.random = new SplittableRandom(seed);
    // now and then a crowd, to pass the bounded batches (16 tickets swept, 32 ready marks, 16 leases purged)
    this.users = random.nextInt(10) == 0 ? 20 + random.nextInt(21) : 3 + random.nextInt(10);
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
        .auditTrail(random.nextBoolean())
        .auditMaxLength(random.nextBoolean() ? 100 : 100_000)
        .build();
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
    int u = user(side, e);
    int back = random.nextInt(8) == 0 ? 1 + random.nextInt(2) : 0;
    QueueStats stats = side.queue().stats(side.eventId(e));
    int w = random.nextInt(100);
    if (w < 22) {
      return Op.advance(clockStep(twin, e, stats));
    } else if (w < 38) {
      return Op.join(e, u);
    } else if (w < 51) {
      return Op.status(e, u, back);
    } else if (w < 65) {
      return Op.enter(e, u, back);
    } else if (w < 69) {
      return Op.leave(e, u, back);
    } else if (w < 72) {
      return Op.verify(e, u, back);
    } else if (w < 75) {
      return Op.complete(e, u, back);
    } else if (w < 78) {
      return Op.release(e, u, back);
    } else if (w < 80) {
      return random.nextBoolean() ? Op.stats(e) : Op.settings(e);
    } else if (w < 83) {
      return Op.configure(e, settings());
    } else if (w < 85) {
      return Op.open(e);
    } else if (w < 87) {
      return Op.pause(e);
    } else if (w < 88) {
      return Op.close(e);
    } else if (w < 90) {
      return Op.schedule(e, opening());
    } else if (w < 91 || (w < 94 && stats.state() == EventState.CLOSED)) {
      return Op.purge(e);
    } else if (w < 97) {
      return Op.sweep(e);
    }
    return Op.audit(e, random.nextInt(4), 1 + random.nextInt(5));
  }

  /** Mostly a user who holds a token, so that calls reach the store rather than stop for want of one. */
  private int user(Side side, int event) {
    List<Integer> holders = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      if (side.hasWaitingToken(event, u)) {
        holders.add(u);
      }
    }
    if (holders.isEmpty() || random.nextInt(4) == 0) {
      return random.nextInt(users);
    }
    // the earliest holders more often: they are the head of the line
    int i = random.nextInt(holders.size());
    return holders.get(random.nextBoolean() ? i : random.nextInt(i + 1));
  }

  /** An opening a few seconds ahead mostly; sometimes already past, sometimes far away. */
  private long opening() {
    int k = random.nextInt(10);
    if (k == 0) {
      return -random.nextInt(5_000);
    }
    return k == 1 ? 3_600_000 : 200 + random.nextInt(20_000);
  }

  /**
   * A clock step: often none or a short one, sometimes one that lands exactly on (or just past) a
   * moment where something changes (a reservation's expiry, the opening, an idle timeout or a ready grace
   * from now), and sometimes a long one (minutes to days) over which the measured rate decays.
   */
  private long clockStep(Twin twin, int event, QueueStats stats) {
    long now = twin.clock().millis();
    int k = random.nextInt(100);
    if (k < 10) {
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
    twin.memory().queue().settings(twin.memory().eventId(event)).ifPresent(s -> {
      moments.add(s.idleTimeout().toMillis());
      moments.add(s.readyGrace().toMillis());
      moments.add(s.reservationTtl().toMillis());
      if (!s.idleTimeout().isZero()) {
        long window = s.idleTimeout().toMillis() / 2;
        moments.add(window - Math.floorMod(now, window)); // the next heartbeat window
      }
    });
    long moment = moments.isEmpty() ? 1_000 : moments.get(random.nextInt(moments.size()));
    return Math.max(0, moment + random.nextInt(3) - 1);
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
