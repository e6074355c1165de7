package io.github.waitingqueue.benchmarks;

import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A client that runs every call and remembers the last script call of the calling thread, {@code FCALL}
 * or {@code EVALSHA}, so a benchmark can replay the library's own call (same function or SHA, KEYS and
 * ARGV) through redis-benchmark or a pipeline.
 */
final class RecordingJedis extends UnifiedJedis {
  private final ThreadLocal<ScriptCall> last = new ThreadLocal<>();

  RecordingJedis(int port) {
    super(new PooledConnectionProvider(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
        .build()), RedisProtocol.RESP2);
  }

  @Override
  public Object fcall(String name, List<String> keys, List<String> args) {
    last.set(new ScriptCall(ScriptCall.FCALL, name, keys, args));
    return super.fcall(name, keys, args);
  }

  @Override
  public Object evalsha(String sha1, List<String> keys, List<String> args) {
    last.set(new ScriptCall(ScriptCall.EVALSHA, sha1, keys, args));
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
      throw new IllegalStateException("no script call recorded: does the library still call fcall(name, keys, args)"
          + " or evalsha(sha, keys, args)?");
    }
    return call;
  }
}
