/**
 * The Redis implementation of {@link io.github.waitingqueue.WaitingQueue}:
 * {@link io.github.waitingqueue.redis.RedisWaitingQueue}. One public class; the scripts it runs are in
 * this package's resources, one {@code .lua} file per operation, each headed by its KEYS, ARGV and reply.
 */
package io.github.waitingqueue.redis;
