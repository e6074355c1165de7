package io.github.waitingqueue.examples.server;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code /actuator/health} component {@code waitingQueue}: UP when Redis answers a PING and a real queue
 * call answers (the stats of a probe event, which runs one of the library's scripts, loading it on a Redis
 * that lacks it); DOWN with the error otherwise. On the in-memory fallback it is UP and says so.
 */
final class WaitingQueueHealthIndicator extends AbstractHealthIndicator {
  /** Never joined: its stats read nothing and write nothing. */
  static final String PROBE_EVENT = "health-probe";

  private final QueueBackend backend;

  WaitingQueueHealthIndicator(QueueBackend backend) {
    super("waiting queue health check failed");
    this.backend = backend;
  }

  @Override
  protected void doHealthCheck(Health.Builder health) {
    health.withDetail("backend", backend.description());
    backend.redis.ifPresent(redis -> health.withDetail("redis", redis.ping()));
    backend.queue.stats(PROBE_EVENT);
    health.withDetail("scripts", backend.onRedis() ? "loaded" : "none (in-memory)").up();
  }
}
