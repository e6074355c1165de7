package io.github.waitingqueue.examples;

import io.github.waitingqueue.EnterResult;
import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.redis.RedisWaitingQueue;
import redis.clients.jedis.RedisClient;

/**
 * The README's quick start: A, B and C join a fresh event; C watches its position go 3, 2, 1 as A and
 * B enter. Run it against a Redis on localhost:6379 (or pass another URL as the first argument).
 */
public final class QuickStart {
  private QuickStart() {}

  /**
   * Runs the scenario.
   *
   * @param args optional Redis URL, default redis://localhost:6379
   */
  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "redis://localhost:6379";
    String secret = System.getenv().getOrDefault("QUEUE_SECRET", "replace-me-with-32-or-more-random-bytes!");
    String event = "quickstart-" + System.currentTimeMillis();

    try (RedisClient redis = RedisClient.create(url);
         WaitingQueue queue = RedisWaitingQueue.builder(redis)
             .config(QueueConfig.builder().signingKeys(SigningKeys.ofText("k1", secret)).build())
             .build()) {
      String a = queue.join(event, "alice").waitingToken();
      String b = queue.join(event, "bob").waitingToken();
      String c = queue.join(event, "carol").waitingToken();
      System.out.println("carol is at position " + queue.status(c).position());

      EnterResult aliceIn = queue.enter(a);
      System.out.println("alice " + aliceIn.outcome() + "; carol is at position " + queue.status(c).position());

      EnterResult bobIn = queue.enter(b);
      System.out.println("bob " + bobIn.outcome() + "; carol is at position " + queue.status(c).position());

      System.out.println("alice's reservation expires at " + aliceIn.reservation().orElseThrow().expiresAt());
    }
  }
}
