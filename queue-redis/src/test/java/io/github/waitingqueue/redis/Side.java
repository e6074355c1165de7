package io.github.waitingqueue.redis;

import io.github.waitingqueue.AuditEntry;
import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.JoinOutcome;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.TestClock;
import io.github.waitingqueue.WaitingQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One of the two queues of a differential run, with every token it handed out: a step names a user, and
 * each side calls with the token it gave that user itself (both sign with the same keys, so the tokens are
 * equal strings when the sides agree, and the comparison of join and enter results says so).
 */
final class Side {
  /** What a step returns when this side gave the user no token to call with. */
  static final String NO_TOKEN = "(no token: nothing called)";

  private final WaitingQueue queue;
  private final TestClock clock;
  private final List<String> eventIds;
  private final Map<List<Integer>, List<String>> waitingTokens = new HashMap<>();
  private final Map<List<Integer>, List<Reservation>> reservations = new HashMap<>();
  private final List<List<Integer>> joinOrder = new ArrayList<>();

  Side(WaitingQueue queue, TestClock clock, List<String> eventIds) {
    this.queue = queue;
    this.clock = clock;
    this.eventIds = eventIds;
  }

  /**
   * The user id of a user number.
   *
   * @param user the number
   * @return {@code "u"} and the number, or for every fourth user an id with other characters
   */
  static String userId(int user) {
    // every fourth user has an id of two-byte characters and a colon, as lease members and sorted-set
    // members order bytewise and a reservation's member is "<sequence>:<user>"
    return user % 4 == 3 ? "ü" + user + ":é" : "u" + user;
  }

  WaitingQueue queue() {
    return queue;
  }

  TestClock clock() {
    return clock;
  }

  String eventId(int event) {
    return eventIds.get(event);
  }

  Object join(int event, int user, String lane) {
    JoinResult result = queue.join(eventId(event), userId(user), lane);
    if (result.waitingToken() != null) {
      remember(waitingTokens, event, user, result.waitingToken());
      if (result.outcome() == JoinOutcome.JOINED) {
        joinOrder.remove(List.of(event, user));
        joinOrder.add(List.of(event, user));
      }
    }
    return result;
  }

  Object withWaitingToken(int event, int user, int back, BiFunction<WaitingQueue, String, Object> call) {
    String token = pick(waitingTokens, event, user, back);
    if (token == null) {
      return NO_TOKEN;
    }
    Object result = call.apply(queue, token);
    if (result instanceof EnterResult) {
      ((EnterResult) result).reservation().ifPresent(r -> remember(reservations, event, user, r));
    }
    return result;
  }

  Object withReservationToken(int event, int user, int back, BiFunction<WaitingQueue, String, Object> call) {
    Reservation reservation = pick(reservations, event, user, back);
    return reservation == null ? NO_TOKEN : call.apply(queue, reservation.token());
  }

  /**
   * Reads the whole trail, then a page after the {@code skip}-th entry by this side's own id of it.
   *
   * <p>Only the newest {@code auditMaxLength} entries count: that is what both promise to keep. Redis trims
   * its stream approximately ({@code MAXLEN ~}, whole nodes), so it may keep a few more, as documented.
   */
  Object auditPage(int event, int skip, int limit) {
    List<AuditEntry> kept = queue.auditTrail(eventId(event), "0", 10_000);
    int promised = queue.settings(eventId(event)).map(EventSettings::auditMaxLength).orElse(kept.size());
    List<AuditEntry> all = kept.subList(Math.max(0, kept.size() - promised), kept.size());
    String after = skip == 0 || all.isEmpty() ? "0" : all.get(Math.min(skip, all.size()) - 1).id();
    return List.of(all, queue.auditTrail(eventId(event), after, limit));
  }

  /**
   * The reservations this side granted, newest last per user.
   *
   * @param event the event
   * @return every reservation granted for it
   */
  /**
   * The users this side granted a reservation for the event.
   *
   * @param event the event
   * @return user numbers, in ascending order
   */
  List<Integer> holders(int event) {
    List<Integer> users = new ArrayList<>();
    reservations.keySet().forEach(key -> {
      if (key.get(0) == event) {
        users.add(key.get(1));
      }
    });
    users.sort(null);
    return users;
  }

  List<Reservation> reservations(int event) {
    List<Reservation> out = new ArrayList<>();
    reservations.forEach((key, list) -> {
      if (key.get(0) == event) {
        out.addAll(list);
      }
    });
    return out;
  }

  /**
   * The users this side gave a waiting token for the event, in the order of their latest join: roughly the
   * order of the line, with those who since entered or left still among them.
   *
   * @param event the event
   * @return user numbers, earliest latest-join first
   */
  List<Integer> usersByLastJoin(int event) {
    List<Integer> users = new ArrayList<>();
    for (List<Integer> key : joinOrder) {
      if (key.get(0) == event) {
        users.add(key.get(1));
      }
    }
    return users;
  }

  private static <T> void remember(Map<List<Integer>, List<T>> tokens, int event, int user, T token) {
    List<T> list = tokens.computeIfAbsent(List.of(event, user), k -> new ArrayList<>());
    if (!list.contains(token)) {
      list.add(token);
    }
  }

  private static <T> T pick(Map<List<Integer>, List<T>> tokens, int event, int user, int back) {
    List<T> list = tokens.get(List.of(event, user));
    if (list == null) {
      return null;
    }
    return list.get(Math.max(0, list.size() - 1 - back));
  }
}
