package io.github.waitingqueue.redis;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.WaitingQueue;
import java.time.Instant;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * One step of a differential sequence: a call of the {@link WaitingQueue} API, or a step of the shared
 * clock. Events and users are numbers (event 0 is the sequence's first event id, user 3 is {@code "u3"});
 * tokens are not part of a step: each side calls with the tokens it was given itself ({@link Side}).
 *
 * <p>{@link #toString()} prints the step as the Java call that makes it, so that a failing sequence can
 * be pasted into {@link DifferentialRegressionTest} as it is.
 */
sealed interface Op {

  /**
   * Runs the step on one side.
   *
   * @param side the queue and the tokens it returned so far
   * @return what the call returned, or {@link Side#NO_TOKEN} when the side holds no token to call with
   */
  Object run(Side side);

  /**
   * The event the step calls on.
   *
   * @return its number, or -1 for a clock step
   */
  int event();

  // ---- the steps, as the regression tests write them ----

  static Op join(int event, int user) {
    return new Join(event, user, null);
  }

  static Op join(int event, int user, String lane) {
    return new Join(event, user, lane);
  }

  // back: 0 for the newest token the side got for the user, 1 for the one before, and so on

  static Op status(int event, int user, int back) {
    return new Waiting(WaitingCall.STATUS, event, user, back);
  }

  static Op enter(int event, int user, int back) {
    return new Waiting(WaitingCall.ENTER, event, user, back);
  }

  static Op leave(int event, int user, int back) {
    return new Waiting(WaitingCall.LEAVE, event, user, back);
  }

  static Op verify(int event, int user, int back) {
    return new Held(HeldCall.VERIFY, event, user, back);
  }

  static Op complete(int event, int user, int back) {
    return new Held(HeldCall.COMPLETE, event, user, back);
  }

  static Op release(int event, int user, int back) {
    return new Held(HeldCall.RELEASE, event, user, back);
  }

  static Op stats(int event) {
    return new OnEvent(EventCall.STATS, event);
  }

  static Op settings(int event) {
    return new OnEvent(EventCall.SETTINGS, event);
  }

  static Op open(int event) {
    return new OnEvent(EventCall.OPEN, event);
  }

  static Op pause(int event) {
    return new OnEvent(EventCall.PAUSE, event);
  }

  static Op close(int event) {
    return new OnEvent(EventCall.CLOSE, event);
  }

  static Op purge(int event) {
    return new OnEvent(EventCall.PURGE, event);
  }

  static Op sweep(int event) {
    return new OnEvent(EventCall.SWEEP, event);
  }

  static Op configure(int event, EventSettings settings) {
    return new Configure(event, settings);
  }

  /**
   * Schedules the event's opening this many milliseconds from the clock's time.
   *
   * @param event the event
   * @param inMillis from now; negative for a time already past
   * @return the step
   */
  static Op schedule(int event, long inMillis) {
    return new Schedule(event, inMillis);
  }

  /**
   * Reads the audit trail after the {@code skip}-th entry (each side passes its own entry's id), at most
   * {@code limit} entries.
   *
   * @param event the event
   * @param skip entries to skip; 0 reads from {@code "0"}
   * @param limit at most this many
   * @return the step
   */
  static Op audit(int event, int skip, int limit) {
    return new Audit(event, skip, limit);
  }

  static Op advance(long millis) {
    return new Advance(millis);
  }

  /**
   * The Java source of a settings object, as {@link #toString()} prints it inside a step.
   *
   * @param s the settings
   * @return a builder expression
   */
  static String source(EventSettings s) {
    return "EventSettings.builder().admissionRate(" + s.admissionRate() + ").burst(" + s.burst() + ").capacity("
        + s.capacity() + ").reservationTtl(ms(" + s.reservationTtl().toMillis() + ")).idleTimeout(ms("
        + s.idleTimeout().toMillis() + ")).readyGrace(ms(" + s.readyGrace().toMillis() + ")).auditTrail("
        + s.auditTrail() + ").auditMaxLength(" + s.auditMaxLength() + ").inventory(" + s.inventory()
        + ").perUserLimit(PerUserLimit." + s.perUserLimit() + ")" + lanesSource(s) + ".build()";
  }

  private static String lanesSource(EventSettings s) {
    StringBuilder b = new StringBuilder();
    s.lanes().forEach((name, priority) -> b.append(".lane(\"").append(name).append("\", ").append(priority).append(')'));
    return b.toString();
  }

  // ---- what the steps are ----

  /** A join, to a lane or (null) to the general line. */
  record Join(int event, int user, String lane) implements Op {
    @Override
    public Object run(Side side) {
      return side.join(event, user, lane);
    }

    @Override
    public String toString() {
      return "join(" + event + ", " + user + (lane == null ? "" : ", \"" + lane + "\"") + ")";
    }
  }

  /** The calls that take a waiting token. */
  enum WaitingCall {
    STATUS(WaitingQueue::status),
    ENTER(WaitingQueue::enter),
    LEAVE(WaitingQueue::leave);

    final BiFunction<WaitingQueue, String, Object> call;

    WaitingCall(BiFunction<WaitingQueue, String, Object> call) {
      this.call = call;
    }
  }

  /**
   * A call with one of the waiting tokens a side got for the user.
   *
   * @param back 0 for the newest token, 1 for the one before, and so on (the oldest when there are fewer)
   */
  record Waiting(WaitingCall call, int event, int user, int back) implements Op {
    @Override
    public Object run(Side side) {
      return side.withWaitingToken(event, user, back, call.call);
    }

    @Override
    public String toString() {
      return call.name().toLowerCase(Locale.ROOT) + "(" + event + ", " + user + ", " + back + ")";
    }
  }

  /** The calls that take a reservation token. */
  enum HeldCall {
    VERIFY(WaitingQueue::verify),
    COMPLETE(WaitingQueue::complete),
    RELEASE(WaitingQueue::release);

    final BiFunction<WaitingQueue, String, Object> call;

    HeldCall(BiFunction<WaitingQueue, String, Object> call) {
      this.call = call;
    }
  }

  /**
   * A call with one of the reservation tokens a side got for the user.
   *
   * @param back 0 for the newest token, 1 for the one before, and so on (the oldest when there are fewer)
   */
  record Held(HeldCall call, int event, int user, int back) implements Op {
    @Override
    public Object run(Side side) {
      return side.withReservationToken(event, user, back, call.call);
    }

    @Override
    public String toString() {
      return call.name().toLowerCase(Locale.ROOT) + "(" + event + ", " + user + ", " + back + ")";
    }
  }

  /** The calls that take an event id alone. */
  enum EventCall {
    STATS(WaitingQueue::stats),
    SETTINGS(WaitingQueue::settings),
    OPEN((q, e) -> {
      q.openEvent(e);
      return "done";
    }),
    PAUSE((q, e) -> {
      q.pauseEvent(e);
      return "done";
    }),
    CLOSE((q, e) -> {
      q.closeEvent(e);
      return "done";
    }),
    PURGE(WaitingQueue::purgeEvent),
    SWEEP(WaitingQueue::sweep);

    final BiFunction<WaitingQueue, String, Object> call;

    EventCall(BiFunction<WaitingQueue, String, Object> call) {
      this.call = call;
    }
  }

  /** A call on an event. */
  record OnEvent(EventCall call, int event) implements Op {
    @Override
    public Object run(Side side) {
      return call.call.apply(side.queue(), side.eventId(event));
    }

    @Override
    public String toString() {
      return call.name().toLowerCase(Locale.ROOT) + "(" + event + ")";
    }
  }

  /** New settings for an event. */
  record Configure(int event, EventSettings settings) implements Op {
    @Override
    public Object run(Side side) {
      side.queue().configure(side.eventId(event), settings);
      return "done";
    }

    @Override
    public String toString() {
      return "configure(" + event + ", " + source(settings) + ")";
    }
  }

  /** A scheduled opening, relative to the clock. */
  record Schedule(int event, long inMillis) implements Op {
    @Override
    public Object run(Side side) {
      side.queue().scheduleOpening(side.eventId(event), Instant.ofEpochMilli(side.clock().millis() + inMillis));
      return "done";
    }

    @Override
    public String toString() {
      return "schedule(" + event + ", " + inMillis + ")";
    }
  }

  /** A page of the audit trail. */
  record Audit(int event, int skip, int limit) implements Op {
    @Override
    public Object run(Side side) {
      return side.auditPage(event, skip, limit);
    }

    @Override
    public String toString() {
      return "audit(" + event + ", " + skip + ", " + limit + ")";
    }
  }

  /** A step of the clock both sides read; {@link Twin} moves it once, before neither side is called. */
  record Advance(long millis) implements Op {
    @Override
    public Object run(Side side) {
      return "advanced";
    }

    @Override
    public int event() {
      return -1;
    }

    @Override
    public String toString() {
      return "advance(" + millis + ")";
    }
  }
}
