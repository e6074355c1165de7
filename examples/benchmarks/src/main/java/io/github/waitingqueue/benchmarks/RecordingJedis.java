package io.github.waitingqueue.benchmarks;

import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A client that runs every call and remembers the last script call of the calling thread, so a benchmark
 * can replay the library's own {@code EVALSHA} (same SHA, KEYS and ARGV) through redis-benchmark or a
 * pipeline.
 */
final class RecordingJedis extends UnifiedJedis {
  private final ThreadLocal<ScriptCall> last = new ThreadLocal<>();

  RecordingJedis(int port) {
    super(new PooledConnectionProvider(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
        .build()), RedisProtocol.RESP2);
  }

  @Override
  public Object evalsha(String sha1, List<String> keys, List<String> args) {
    last.set(new ScriptCall(sha1, keys, args));
    return super.evalsha(sha1, keys, args);
  }

  /**
   * The last script call this thread made.
   *
   * @throws IllegalStateException when it made none
   */
  ScriptCall lastCall() {
    ScriptCall call = last.get();
    if (call == null) {
      throw new IllegalStateException("no script call recorded: does the library still call evalsha(sha, keys, args)?");
    }
    return call;
  }
}
