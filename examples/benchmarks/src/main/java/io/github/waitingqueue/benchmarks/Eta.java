package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.TicketStatus;
import io.github.waitingqueue.redis.RedisWaitingQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import redis.clients.jedis.RedisClient;

/**
 * Section {@code eta} (issue 12): how honest the ETA is. A simulated sale on the benchmark's Redis, with the
 * queue's clock simulated (so minutes of a sale run in seconds, and every run is the same): users arrive,
 * poll at the pace the library's hint sets, enter soon after they are ready, and, where the event has a
 * capacity, complete their reservation after a while. Every ETA the library gives (at join and at each
 * poll) is recorded with the time it was given; once the user is admitted, its error is
 * |eta - actual wait| / actual wait, for waits of at least {@value #MIN_WAIT_S} s (shorter ones are the
 * head of the line, where a second of rounding is a large fraction).
 *
 * <p>Three cases: steady admission; the same with a 30-second pause in the middle; and admission limited
 * by capacity, with reservations completing at random. It reports the median and p90 error of each.
 */
final class Eta {
  static final int MIN_WAIT_S = 10;
  private static final SigningKeys KEYS = SigningKeys.ofText("eta", "eta-benchmark-signing-secret-of-32-bytes");

  private Eta() {}

  /** One case of the simulation. */
  record Case(String name, int users, double arrivalSeconds, EventSettings settings, double pauseAt,
      double pauseFor, double holdMin, double holdMax) {}

  static List<Case> cases(boolean quick) {
    int users = quick ? 600 : 3_000;
    EventSettings steady = EventSettings.builder().admissionRate(25).burst(25).idleTimeout(Duration.ofMinutes(3))
        .readyGrace(Duration.ofMinutes(1)).build();
    EventSettings limited = EventSettings.builder().admissionRate(100).burst(100).capacity(150)
        .reservationTtl(Duration.ofMinutes(5)).idleTimeout(Duration.ofMinutes(3)).readyGrace(Duration.ofMinutes(1))
        .build();
    return List.of(
        new Case("steady", users, 10, steady, -1, 0, 0, 0),
        new Case("pause", users, 10, steady, 30, 30, 0, 0),
        new Case("capacity", users / 3, 10, limited, -1, 0, 5, 40));
  }

  static Map<String, Object> run(Bench b) {
    b.header("eta", "the ETA given at join and at each poll against the wait that followed (simulated clock)");
    Map<String, Object> out = new LinkedHashMap<>();
    try (RedisClient client = b.redis.client(1)) {
      for (Case c : cases(b.options.quick)) {
        Result r = simulate(client, c, 42);
        Bench.print("%-9s %,5d users, %,7d ETAs of admitted users with a wait of %d s or more: median error %.1f%%,"
                + " p90 %.1f%%; at join: median %.1f%%, p90 %.1f%%; last admission after %.0f s", c.name(), c.users(),
            r.errors.length, MIN_WAIT_S, 100 * r.median(), 100 * r.p90(), 100 * r.joinMedian(), 100 * r.joinP90(),
            r.lastAdmission);
        out.put(c.name() + "_median_error", round(r.median()));
        out.put(c.name() + "_p90_error", round(r.p90()));
        out.put(c.name() + "_join_median_error", round(r.joinMedian()));
        out.put(c.name() + "_join_p90_error", round(r.joinP90()));
        out.put(c.name() + "_etas", r.errors.length);
      }
    }
    double steady = (Double) out.get("steady_median_error");
    out.put("goal_steady_median_error", 0.15);
    out.put("goal_met", steady <= 0.15);
    Bench.print("goal: median error <= 15%% under steady admission: %s", Bench.verdict(steady <= 0.15));
    return out;
  }

  private static double round(double x) {
    return Math.round(x * 10_000) / 10_000.0;
  }

  /** The errors of one simulated sale. */
  static final class Result {
    final double[] errors;
    final double[] joinErrors;
    final double lastAdmission;

    Result(double[] errors, double[] joinErrors, double lastAdmission) {
      this.errors = errors;
      this.joinErrors = joinErrors;
      this.lastAdmission = lastAdmission;
      Arrays.sort(this.errors);
      Arrays.sort(this.joinErrors);
    }

    double median() {
      return quantile(errors, 0.5);
    }

    double p90() {
      return quantile(errors, 0.9);
    }

    double joinMedian() {
      return quantile(joinErrors, 0.5);
    }

    double joinP90() {
      return quantile(joinErrors, 0.9);
    }
  }

  /** The q-quantile of sorted values (nearest rank), or NaN when there are none. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** A user's next action in simulated time. */
  private record Step(double at, int user, Kind kind) {}

  private enum Kind { JOIN, POLL, ENTER, COMPLETE, PAUSE, RESUME }

  /** A clock the simulation moves. */
  private static final class SimulatedClock extends Clock {
    volatile long millis = 1_800_000_000_000L;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  static Result simulate(RedisClient client, Case c, long seed) {
    SimulatedClock clock = new SimulatedClock();
    long start = clock.millis;
    String event = "eta-" + c.name() + "-" + System.nanoTime();
    RedisWaitingQueue queue = RedisWaitingQueue.builder(client)
        .config(QueueConfig.builder().signingKeys(KEYS).clock(clock).build()).build();
    queue.configure(event, c.settings());
    Random random = new Random(seed);
    String[] tokens = new String[c.users()];
    double[] admittedAt = new double[c.users()];
    Arrays.fill(admittedAt, Double.NaN);
    String[] reservations = new String[c.users()];
    // per user: the (time, eta) pairs it was given; index 0 is the join's
    List<List<double[]>> given = new ArrayList<>();
    PriorityQueue<Step> steps = new PriorityQueue<>((x, y) -> Double.compare(x.at(), y.at()));
    for (int u = 0; u < c.users(); u++) {
      given.add(new ArrayList<>());
      steps.add(new Step(c.arrivalSeconds() * u / c.users(), u, Kind.JOIN));
    }
    if (c.pauseAt() >= 0) {
      steps.add(new Step(c.pauseAt(), -1, Kind.PAUSE));
      steps.add(new Step(c.pauseAt() + c.pauseFor(), -1, Kind.RESUME));
    }
    double last = 0;
    while (!steps.isEmpty()) {
      Step s = steps.poll();
      clock.millis = start + Math.round(s.at() * 1000);
      double now = s.at();
      switch (s.kind()) {
        case PAUSE -> queue.pauseEvent(event);
        case RESUME -> queue.openEvent(event);
        case JOIN -> {
          JoinResult r = queue.join(event, "user-" + s.user());
          tokens[s.user()] = r.waitingToken();
          given.get(s.user()).add(new double[] {now, r.etaSeconds()});
          steps.add(new Step(now + (r.readyForEntry() ? reaction(random) : 2), s.user(),
              r.readyForEntry() ? Kind.ENTER : Kind.POLL));
        }
        case POLL -> {
          TicketStatus st = queue.status(tokens[s.user()]);
          if (st.state() == TicketState.READY) {
            steps.add(new Step(now + reaction(random), s.user(), Kind.ENTER));
          } else if (st.inLine()) {
            given.get(s.user()).add(new double[] {now, st.etaSeconds()});
            steps.add(new Step(now + Math.max(1, st.nextPollAfter().toMillis() / 1000.0), s.user(), Kind.POLL));
          }
        }
        case ENTER -> {
          EnterResult r = queue.enter(tokens[s.user()]);
          if (r.admitted()) {
            admittedAt[s.user()] = now;
            last = now;
            if (c.holdMax() > 0) {
              reservations[s.user()] = r.reservation().orElseThrow().token();
              steps.add(new Step(now + c.holdMin() + random.nextDouble() * (c.holdMax() - c.holdMin()), s.user(),
                  Kind.COMPLETE));
            }
          } else if (r.outcome() == io.github.waitingqueue.EnterOutcome.NOT_READY) {
            steps.add(new Step(now + 1, s.user(), Kind.POLL));
          }
        }
        case COMPLETE -> queue.complete(reservations[s.user()]);
        default -> throw new IllegalStateException(s.kind().toString());
      }
    }
    queue.close();
    List<Double> errors = new ArrayList<>();
    List<Double> joinErrors = new ArrayList<>();
    for (int u = 0; u < c.users(); u++) {
      if (Double.isNaN(admittedAt[u])) {
        continue;
      }
      List<double[]> g = given.get(u);
      for (int i = 0; i < g.size(); i++) {
        double wait = admittedAt[u] - g.get(i)[0];
        if (wait >= MIN_WAIT_S) {
          double error = Math.abs(g.get(i)[1] - wait) / wait;
          errors.add(error);
          if (i == 0) {
            joinErrors.add(error);
          }
        }
      }
    }
    return new Result(errors.stream().mapToDouble(Double::doubleValue).toArray(),
        joinErrors.stream().mapToDouble(Double::doubleValue).toArray(), last);
  }

  /** How long a user takes to come and enter once shown ready: 0.2 to 1.5 s. */
  private static double reaction(Random random) {
    return 0.2 + 1.3 * random.nextDouble();
  }
}
