/**
 * waiting-queue: a virtual waiting room for the JVM.
 *
 * <p>{@link io.github.waitingqueue.WaitingQueue} is the whole API: {@code join}, {@code status},
 * {@code enter} and {@code leave} for users in line, {@code verify}, {@code complete} and
 * {@code release} for reservations, {@code stats}, {@code settings} and {@code configure} for operators.
 * Results are immutable values ({@link io.github.waitingqueue.JoinResult},
 * {@link io.github.waitingqueue.TicketStatus}, {@link io.github.waitingqueue.EnterResult},
 * {@link io.github.waitingqueue.Reservation}, {@link io.github.waitingqueue.QueueStats}); configuration
 * is immutable too ({@link io.github.waitingqueue.QueueConfig},
 * {@link io.github.waitingqueue.EventSettings}, {@link io.github.waitingqueue.SigningKeys}).
 *
 * <p>Two implementations share one behaviour: {@link io.github.waitingqueue.InMemoryWaitingQueue} here,
 * and {@code io.github.waitingqueue.redis.RedisWaitingQueue} in the {@code queue-redis} module.
 */
package io.github.waitingqueue;
