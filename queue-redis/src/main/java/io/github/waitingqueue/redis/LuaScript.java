package io.github.waitingqueue.redis;

import io.github.waitingqueue.QueueUnavailableException;
import io.github.waitingqueue.WaitingQueueException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One operation script: {@code common.lua} followed by the operation's own file, both shipped in the
 * jar. Its SHA1 is computed here, so the first call needs no SCRIPT LOAD: EVALSHA, and on NOSCRIPT
 * (first use on a node, restart, failover, SCRIPT FLUSH) one EVAL, which routes to the same node by
 * the same keys and caches the script there again.
 */
final class LuaScript {
  private static final String COMMON = resource("common.lua");

  private final String name;
  private final String source;
  private final String sha1;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1(source);
  }

  static LuaScript load(String fileName) {
    return new LuaScript(fileName, COMMON + resource(fileName));
  }

  String name() {
    return name;
  }

  String source() {
    return source;
  }

  String sha1() {
    return sha1;
  }

  /** Runs the script in one round trip (two only after NOSCRIPT) and maps failures to typed exceptions. */
  Object run(UnifiedJedis jedis, List<String> keys, List<String> args) {
    try {
      try {
        return jedis.evalsha(sha1, keys, args);
      } catch (JedisNoScriptException e) {
        return jedis.eval(source, keys, args);
      }
    } catch (JedisConnectionException e) {
      throw new QueueUnavailableException("Redis connection failed during " + name + ": " + e.getMessage(), e);
    } catch (JedisDataException e) {
      String message = String.valueOf(e.getMessage());
      if (isTransient(message)) {
        throw new QueueUnavailableException("Redis refused " + name + ": " + message, e);
      }
      throw new WaitingQueueException("script " + name + " failed: " + message, e);
    } catch (JedisException e) {
      throw new QueueUnavailableException("Redis call failed during " + name + ": " + e.getMessage(), e);
    }
  }

  /** Server states that pass: loading, failover, read-only replica, busy script, cluster reconfiguring. */
  private static boolean isTransient(String message) {
    return message.startsWith("LOADING") || message.startsWith("READONLY") || message.startsWith("BUSY")
        || message.startsWith("MASTERDOWN") || message.startsWith("CLUSTERDOWN") || message.startsWith("TRYAGAIN")
        || message.startsWith("NOREPLICAS") || message.startsWith("OOM") || message.startsWith("MOVED")
        || message.startsWith("ASK");
  }

  private static String resource(String fileName) {
    try (InputStream in = LuaScript.class.getResourceAsStream(fileName)) {
      if (in == null) {
        throw new IllegalStateException("script missing from the jar: " + fileName);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script " + fileName, e);
    }
  }

  private static String sha1(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available in this JVM", e);
    }
  }
}
