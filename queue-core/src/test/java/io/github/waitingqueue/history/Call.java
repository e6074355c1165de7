package io.github.waitingqueue.history;

/**
 * One recorded call: who made it, what it asked, when it started and ended (System.nanoTime), and
 * what it returned or threw. A call that threw {@link io.github.waitingqueue.QueueUnavailableException}
 * has an unknown outcome: it may or may not have taken effect, so checkers treat it as ending at
 * {@link Long#MAX_VALUE} with any result.
 *
 * @param id position in the history, from 0
 * @param thread the calling thread's number
 * @param kind the operation
 * @param argument the user id for a join, the event id for stats, else the token passed
 * @param start nanoTime just before the call
 * @param end nanoTime just after it returned or threw
 * @param result the returned value (JoinResult, TicketStatus, EnterResult, Boolean, QueueStats), or null
 * @param failure what it threw, or null
 */
public record Call(int id, int thread, Kind kind, String argument, long start, long end, Object result,
    RuntimeException failure) {

  /** The operations a history records. */
  public enum Kind { JOIN, STATUS, ENTER, LEAVE, RELEASE, STATS }

  /**
   * The argument of a join: the user, then the lane after a space when one was named (user ids hold no
   * whitespace).
   *
   * @param user the user
   * @param lane the lane, or null for the general line
   * @return the argument
   */
  public static String joinArgument(String user, String lane) {
    return lane == null ? user : user + " " + lane;
  }

  /**
   * The user of a join.
   *
   * @return the user its argument names
   */
  public String joiningUser() {
    int space = argument.indexOf(' ');
    return space < 0 ? argument : argument.substring(0, space);
  }

  /**
   * The lane of a join.
   *
   * @return the lane its argument names, or null for the general line
   */
  public String joiningLane() {
    int space = argument.indexOf(' ');
    return space < 0 ? null : argument.substring(space + 1);
  }

  /**
   * Whether the call returned normally.
   *
   * @return true when there is a result
   */
  public boolean ok() {
    return failure == null;
  }

  /**
   * The end used for real-time order: the recorded end, or never for a call of unknown outcome.
   *
   * @return nanoTime
   */
  public long effectiveEnd() {
    return ok() ? end : Long.MAX_VALUE;
  }

  @Override
  public String toString() {
    return "#" + id + " t" + thread + " " + kind + "(" + shorten(argument) + ") [" + start + ".." + end + "] -> "
        + (ok() ? result : failure.getClass().getSimpleName() + ": " + failure.getMessage());
  }

  private static String shorten(String s) {
    return s == null || s.length() <= 16 ? s : s.substring(0, 12) + "..";
  }
}
