package io.github.waitingqueue.redis;

import io.github.waitingqueue.EnterOutcome;
import io.github.waitingqueue.EtaBasis;
import io.github.waitingqueue.EventState;
import io.github.waitingqueue.JoinOutcome;
import io.github.waitingqueue.PerUserLimit;
import io.github.waitingqueue.TicketState;
import io.github.waitingqueue.internal.QueueRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The Lua library, assembled from the files shipped in this jar: the constants (from {@link QueueRules}
 * and the codes of the result enums, so Lua and Java share one source), {@code common.lua}, and one
 * function per {@link Operation} file. It exists in two forms built from the same text:
 *
 * <ul>
 *   <li>a Redis Functions library, loaded once per node with {@code FUNCTION LOAD} and called with
 *       {@code FCALL}. Its name and its functions' names carry a hash of the library, so a node never
 *       runs another build's functions, and instances of two versions (a rolling upgrade) each find
 *       their own;</li>
 *   <li>one {@code EVAL} script per operation (constants, common, the operation), for servers that
 *       refuse {@code FUNCTION}: Redis 6.2, an ACL, a managed service.</li>
 * </ul>
 */
final class ScriptLibrary {
  /** The library every queue uses. */
  static final ScriptLibrary LIBRARY = new ScriptLibrary();

  private final String version;
  private final String functionsSource;
  private final Map<Operation, String> functionNames = new EnumMap<>(Operation.class);
  private final Map<Operation, String> evalSources = new EnumMap<>(Operation.class);
  private final Map<Operation, String> evalShas = new EnumMap<>(Operation.class);

  private ScriptLibrary() {
    String prelude = constants() + resource("common.lua");
    StringBuilder body = new StringBuilder(prelude);
    for (Operation op : Operation.values()) {
      String code = resource(op.stem() + ".lua");
      evalSources.put(op, prelude + code);
      evalShas.put(op, sha1(prelude + code));
      body.append("\nlocal function op_").append(op.stem()).append("()\n").append(code).append("\nend\n");
    }
    this.version = sha1(body.toString()).substring(0, 12);
    StringBuilder lib = new StringBuilder("#!lua name=").append(libraryName()).append('\n')
        .append("-- waiting-queue ").append(version).append(": see common.lua in the jar for keys and arguments\n")
        .append("local KEYS, ARGV\n").append(body);
    for (Operation op : Operation.values()) {
      String name = "wq_" + op.stem() + "_" + version;
      functionNames.put(op, name);
      lib.append("redis.register_function('").append(name).append("', function(keys, args) KEYS = keys; ARGV = args; ")
          .append("return op_").append(op.stem()).append("() end)\n");
    }
    this.functionsSource = lib.toString();
  }

  /** The hash of the library's text that its names carry. */
  String version() {
    return version;
  }

  /** The Functions library's name on a node. */
  String libraryName() {
    return "waitingqueue_" + version;
  }

  /** The source for {@code FUNCTION LOAD}. */
  String functionsSource() {
    return functionsSource;
  }

  String functionName(Operation op) {
    return functionNames.get(op);
  }

  String evalSource(Operation op) {
    return evalSources.get(op);
  }

  String evalSha(Operation op) {
    return evalShas.get(op);
  }

  /** Every rule constant and result code as a Lua local of the same name. */
  static String constants() {
    StringBuilder lua = new StringBuilder("-- constants generated from QueueRules.java and the result enums\n");
    for (Field f : QueueRules.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers())) {
        lua.append("local ").append(f.getName()).append(" = ").append(value(f)).append('\n');
      }
    }
    codes(lua, "TICKET_", TicketState.values());
    codes(lua, "JOIN_", JoinOutcome.values());
    codes(lua, "ENTER_", EnterOutcome.values());
    codes(lua, "LIMIT_", PerUserLimit.values());
    codes(lua, "ETA_", EtaBasis.values());
    for (EventState s : EventState.values()) {
      lua.append("local STATE_").append(s.name()).append(" = '").append(stateName(s)).append("'\n");
    }
    return lua.toString();
  }

  /** How an event state is stored in Redis. */
  static String stateName(EventState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  private static void codes(StringBuilder lua, String prefix, Enum<?>[] values) {
    for (Enum<?> v : values) {
      lua.append("local ").append(prefix).append(v.name()).append(" = ").append(v.ordinal()).append('\n');
    }
  }

  private static String value(Field f) {
    try {
      Object v = f.get(null);
      return v instanceof Double ? Double.toString((Double) v) : String.valueOf(v);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read rule " + f.getName(), e);
    }
  }

  private static String resource(String fileName) {
    try (InputStream in = ScriptLibrary.class.getResourceAsStream(fileName)) {
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
