package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.internal.Pacing;

/**
 * The load model of docs/BENCHMARKS.md: how many polls a line makes when every waiting page follows the
 * library's pacing hint ({@link Pacing#nextPoll}), how many of them still reach Redis with the line mirror
 * (those near the head), and how many heartbeats the mirrors send for the others.
 */
final class LoadModel {
  private LoadModel() {}

  /**
   * Polls per second of a line, and their split with the line mirror.
   *
   * @param polls every poll of the line, per second
   * @param redisPolls the polls the mirror leaves to Redis (positions up to the near-head limit), per second
   * @param heartbeats heartbeats the mirrors send in their catch-ups, per second
   */
  record Traffic(double polls, double redisPolls, double heartbeats) {}

  /**
   * The pause the library tells the ticket at {@code position} to wait before its next poll: READY within the
   * allowance, else WAITING with the ETA the library gives ({@code ceil((position - allowance) / rate)}), the
   * jitter taken from the sequence number, here the position (a line nobody left).
   */
  static long pauseMs(long position, long allowance, double rate, long idleMs) {
    if (position <= allowance) {
      return Pacing.nextPoll(TicketState.READY, position, 0, idleMs, position).toMillis();
    }
    long eta = (long) Math.ceil((position - allowance) / rate);
    return Pacing.nextPoll(TicketState.WAITING, position, eta, idleMs, position).toMillis();
  }

  /**
   * Sums the poll rate over every position of a line.
   *
   * @param waiting the line's length
   * @param allowance positions that are ready
   * @param rate admissions per second (the ETA's rate)
   * @param idleMs the idle timeout: heartbeats are due once per window of half of it
   * @param redisUpTo positions the mirror leaves to Redis (allowance, the staleness headroom and its margin)
   * @param instances application instances; a poll goes to any of them at random, and each instance that
   *     answered a ticket in a heartbeat window sends one heartbeat for it in that window
   */
  static Traffic traffic(long waiting, long allowance, double rate, long idleMs, long redisUpTo, int instances) {
    double polls = 0;
    double redis = 0;
    double heartbeats = 0;
    double windowMs = idleMs / 2.0;
    for (long p = 1; p <= waiting; p++) {
      double pause = pauseMs(p, allowance, rate, idleMs);
      polls += 1000 / pause;
      if (p <= redisUpTo) {
        redis += 1000 / pause;
      } else if (idleMs > 0) {
        heartbeats += instancesAnswering(instances, windowMs / pause) * 1000 / windowMs;
      }
    }
    return new Traffic(polls, redis, heartbeats);
  }

  /** Expected distinct instances among {@code instances} that {@code polls} random polls reach. */
  static double instancesAnswering(int instances, double polls) {
    return instances * (1 - Math.pow(1 - 1.0 / instances, polls));
  }

  /** The positions the mirror leaves to Redis: the allowance, twice the ETA rate per bound, and 10 more. */
  static long redisUpTo(long allowance, double rate, double boundSeconds) {
    return allowance + (long) Math.ceil(2 * rate * boundSeconds) + 10;
  }
}
