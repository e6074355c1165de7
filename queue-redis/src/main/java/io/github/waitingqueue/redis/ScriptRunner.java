package io.github.waitingqueue.redis;

import io.github.waitingqueue.InvalidInputException;
import io.github.waitingqueue.QueueUnavailableException;
import io.github.waitingqueue.WaitingQueueException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Runs an {@link Operation} in one round trip: {@code FCALL} of the library's function, or, where
 * {@code FUNCTION} is refused, {@code EVALSHA} of the same code. A node that lacks the library (a new
 * node, a restart without persistence, {@code FUNCTION FLUSH}) gets it once, by {@code FUNCTION LOAD}
 * routed by the event's key to that node, and the call is repeated; a node that lacks the script gets
 * one {@code EVAL}. Failures become typed exceptions.
 */
final class ScriptRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);
  private static final ScriptLibrary LIBRARY = ScriptLibrary.LIBRARY;

  private final UnifiedJedis redis;
  private final RedisWaitingQueue.ScriptMode configured;
  /** Whether calls are EVALSHA: in EVAL mode, or in AUTO mode once the server refused functions. */
  private volatile boolean scripts;

  ScriptRunner(UnifiedJedis redis, RedisWaitingQueue.ScriptMode configured) {
    this.redis = redis;
    this.configured = configured;
    this.scripts = configured == RedisWaitingQueue.ScriptMode.EVAL;
  }

  Object run(Operation op, List<String> keys, List<String> args) {
    try {
      if (!scripts) {
        try {
          return fcall(op, keys, args);
        } catch (JedisDataException e) {
          if (configured != RedisWaitingQueue.ScriptMode.AUTO || !functionsRefused(e)) {
            throw e;
          }
          scripts = true;
          LOG.info("wq functions refused by Redis ({}); using EVALSHA scripts from now on", e.getMessage());
        }
      }
      try {
        return redis.evalsha(LIBRARY.evalSha(op), keys, args);
      } catch (JedisNoScriptException e) {
        return redis.eval(LIBRARY.evalSource(op), keys, args);
      }
    } catch (JedisConnectionException e) {
      throw new QueueUnavailableException("Redis connection failed during " + op.stem() + ".lua: " + e.getMessage(), e);
    } catch (JedisDataException e) {
      String message = String.valueOf(e.getMessage());
      if (message.startsWith("WQSTATE ")) {
        throw new IllegalStateException(message.substring("WQSTATE ".length()), e);
      }
      if (message.startsWith("WQINPUT ")) {
        throw new InvalidInputException(message.substring("WQINPUT ".length()));
      }
      if (isTransient(message)) {
        throw new QueueUnavailableException("Redis refused " + op.stem() + ".lua: " + message, e);
      }
      throw new WaitingQueueException("script " + op.stem() + ".lua failed: " + message, e);
    } catch (JedisException e) {
      throw new QueueUnavailableException("Redis call failed during " + op.stem() + ".lua: " + e.getMessage(), e);
    }
  }

  private Object fcall(Operation op, List<String> keys, List<String> args) {
    try {
      return redis.fcall(LIBRARY.functionName(op), keys, args);
    } catch (JedisDataException e) {
      if (!String.valueOf(e.getMessage()).contains("Function not found")) {
        throw e;
      }
    }
    load(keys.get(0));
    return redis.fcall(LIBRARY.functionName(op), keys, args);
  }

  /** Loads the library onto the node that holds {@code sampleKey}; another instance may have just done so. */
  @SuppressWarnings("deprecation") // the only public way to route a keyless command by a key's slot
  private void load(String sampleKey) {
    try {
      redis.sendCommand(sampleKey, Protocol.Command.FUNCTION, "LOAD", LIBRARY.functionsSource());
      LOG.info("wq loaded function library {} on the node of {}", LIBRARY.libraryName(), sampleKey);
    } catch (JedisDataException e) {
      if (!String.valueOf(e.getMessage()).contains("already exists")) {
        throw e;
      }
    }
  }

  /** Redis 6.2 (no FCALL or FUNCTION), or an ACL or a managed service that forbids them. */
  private static boolean functionsRefused(JedisDataException e) {
    String message = String.valueOf(e.getMessage());
    return message.startsWith("NOPERM") || message.toLowerCase(java.util.Locale.ROOT).contains("unknown command");
  }

  /** Server states that pass: loading, failover, read-only replica, busy script, cluster reconfiguring. */
  private static boolean isTransient(String message) {
    return message.startsWith("LOADING") || message.startsWith("READONLY") || message.startsWith("BUSY")
        || message.startsWith("MASTERDOWN") || message.startsWith("CLUSTERDOWN") || message.startsWith("TRYAGAIN")
        || message.startsWith("NOREPLICAS") || message.startsWith("OOM") || message.startsWith("MOVED")
        || message.startsWith("ASK");
  }
}
