package io.github.waitingqueue.internal;

import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.EventState;
import io.github.waitingqueue.JoinOutcome;
import io.github.waitingqueue.JoinResult;
import io.github.waitingqueue.QueueListener;
import io.github.waitingqueue.TicketStatus;
import org.slf4j.Logger;

/**
 * What every implementation tells its listener and its log after a call, written once: the Redis and
 * the in-memory queue hand each result here, and get it back to return.
 */
public final class CallReports {
  private final QueueListener listener;
  private final Logger log;

  /**
   * Reports to a listener (already guarded by {@code QueueConfig}) and a logger.
   *
   * @param listener the listener
   * @param log the implementation's logger
   */
  public CallReports(QueueListener listener, Logger log) {
    this.listener = listener;
    this.log = log;
  }

  /** After a join that evicted {@code evicted} tickets on the way. */
  public JoinResult joined(String eventId, JoinResult result, long evicted) {
    listener.evicted(eventId, evicted);
    if (result.outcome() == JoinOutcome.JOINED) {
      listener.joined(eventId, result.position());
    } else if (!result.outcome().hasTicket()) {
      listener.refused(eventId, result.outcome().name());
    }
    if (log.isDebugEnabled()) {
      log.debug("wq op=join event={} outcome={} state={} position={}", eventId, result.outcome(), result.state(),
          result.position());
    }
    return result;
  }

  /** After a status call. */
  public TicketStatus status(String eventId, TicketStatus status, long evicted) {
    listener.evicted(eventId, evicted);
    if (log.isDebugEnabled()) {
      log.debug("wq op=status event={} state={} position={}", eventId, status.state(), status.position());
    }
    return status;
  }

  /** After an enter; {@code fresh} when this call made the admission (not a repeat). */
  public EnterResult entered(String eventId, EnterResult result, boolean fresh, long evicted) {
    listener.evicted(eventId, evicted);
    if (fresh) {
      listener.entered(eventId);
    } else if (!result.admitted()) {
      listener.refused(eventId, result.outcome().name());
    }
    if (log.isDebugEnabled()) {
      log.debug("wq op=enter event={} outcome={} position={}", eventId, result.outcome(), result.position());
    }
    return result;
  }

  /** After a leave. */
  public boolean left(String eventId, boolean left) {
    if (left) {
      listener.left(eventId);
    }
    if (log.isDebugEnabled()) {
      log.debug("wq op=leave event={} left={}", eventId, left);
    }
    return left;
  }

  /** After a complete or release ({@code action}). */
  public boolean ended(String action, String eventId, boolean ended) {
    if (log.isDebugEnabled()) {
      log.debug("wq op={} event={} ended={}", action, eventId, ended);
    }
    return ended;
  }

  /** After a sweep. */
  public long swept(String eventId, long evicted) {
    listener.evicted(eventId, evicted);
    return evicted;
  }

  /** After a configure. */
  public void configured(String eventId, EventSettings settings) {
    log.info("wq op=configure event={} settings={}", eventId, settings);
  }

  /** After a lifecycle change. */
  public void lifecycle(String eventId, EventState target) {
    log.info("wq op=lifecycle event={} state={}", eventId, target);
  }

  /** After a purge call. */
  public boolean purged(String eventId, boolean done) {
    log.info("wq op=purge event={} done={}", eventId, done);
    return done;
  }
}
