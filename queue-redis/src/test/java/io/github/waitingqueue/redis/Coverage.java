package io.github.waitingqueue.redis;

import io.github.waitingqueue.AuditEntry;
import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueStats;
import io.github.waitingqueue.TicketStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds of answers a differential run saw, so that it can show it reached the states where the two
 * implementations could part (a generator that only made noise would pass for the wrong reason).
 */
final class Coverage {
  /**
   * What a run of a thousand sequences must have seen at least once, whatever its seed. Not an explicit
   * sweep that evicts: ordinary calls sweep every 250 ms, so one rarely finds anybody left to evict.
   */
  static final Set<String> REQUIRED = Set.of(
      "join JOINED", "join ALREADY_WAITING", "join EVENT_CLOSED", "join state PRE_QUEUE",
      "status WAITING", "status READY", "status PRE_QUEUE", "status PAUSED", "status CLOSED", "status NOT_FOUND",
      "enter ADMITTED", "enter NOT_READY", "enter EVENT_CLOSED", "enter NOT_FOUND",
      "leave true", "leave false", "verify held", "verify ended", "complete true", "complete false",
      "release true", "release false", "purge true", "purge threw IllegalStateException",
      "schedule threw IllegalStateException", "stats evicted", "stats admitted while others wait", "stats measured rate",
      "stats scheduled", "audit EXPIRED", "audit EVICTED", "audit SCHEDULED", "settings present",
      "join SOLD_OUT", "join HOLDS_RESERVATION", "join ALREADY_PURCHASED", "status SOLD_OUT", "enter SOLD_OUT",
      "complete threw SoldOutException", "stats sold_out", "audit SOLD_OUT",
      "join in a lane JOINED", "join in a lane ALREADY_WAITING", "join in a lane threw InvalidInputException");

  private Coverage() {}

  /**
   * The kinds of one answer.
   *
   * @param op the step
   * @param answer what it returned
   * @return labels such as {@code "enter NOT_READY"}
   */
  static List<String> of(Op op, Object answer) {
    String call = op.toString().replaceAll("\\(.*", "");
    List<String> kinds = new ArrayList<>();
    if (op instanceof Op.Join && ((Op.Join) op).lane() != null) {
      call = "join in a lane";
    }
    if (answer instanceof Twin.Threw) {
      kinds.add(call + " threw " + ((Twin.Threw) answer).exception.getClass().getSimpleName());
    } else if (answer instanceof JoinResult) {
      JoinResult j = (JoinResult) answer;
      kinds.add(call + " " + j.outcome());
      kinds.add(call + " state " + j.state());
    } else if (answer instanceof TicketStatus) {
      kinds.add(call + " " + ((TicketStatus) answer).state());
    } else if (answer instanceof EnterResult) {
      kinds.add(call + " " + ((EnterResult) answer).outcome());
    } else if (answer instanceof Optional) {
      kinds.add(call + (((Optional<?>) answer).isPresent() ? call.equals("verify") ? " held" : " present"
          : call.equals("verify") ? " ended" : " empty"));
    } else if (answer instanceof QueueStats) {
      kinds.addAll(ofStats((QueueStats) answer));
    } else if (answer instanceof Long) {
      kinds.add(call + ((Long) answer > 0 ? " evicted" : " none"));
    } else if (answer instanceof List) {
      for (Object entry : (List<?>) ((List<?>) answer).get(0)) {
        kinds.add(call + " " + ((AuditEntry) entry).action());
      }
    } else {
      kinds.add(call + " " + String.valueOf(answer).toLowerCase(Locale.ROOT));
    }
    return kinds;
  }

  private static List<String> ofStats(QueueStats s) {
    List<String> kinds = new ArrayList<>();
    kinds.add("stats " + s.state().name().toLowerCase(Locale.ROOT));
    if (s.totalEvicted() > 0) {
      kinds.add("stats evicted");
    }
    if (s.measuredAdmissionRate() > 0) {
      kinds.add("stats measured rate");
    }
    if (s.admitted() > 0 && s.waiting() > 0) {
      kinds.add("stats admitted while others wait");
    }
    return kinds;
  }
}
