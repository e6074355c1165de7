package io.github.waitingqueue.benchmarks;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * One library call exactly as the library made it: {@code FCALL} of a function or {@code EVALSHA} of a
 * script, its KEYS and its ARGV. Captured from a real library call, so the benchmark never carries its own
 * copy of a script or of its arguments.
 *
 * @param command {@link #FCALL} or {@link #EVALSHA}
 * @param target the function's name, or the script's SHA1
 * @param keys the KEYS
 * @param args the ARGV
 */
record ScriptCall(String command, String target, List<String> keys, List<String> args) {
  static final String FCALL = "FCALL";
  static final String EVALSHA = "EVALSHA";

  ScriptCall {
    if (!command.equals(FCALL) && !command.equals(EVALSHA)) {
      throw new IllegalArgumentException("not a script call: " + command);
    }
    keys = List.copyOf(keys);
    args = List.copyOf(args);
  }

  /** The same call with every ARGV equal to {@code from} replaced by {@code to}. */
  ScriptCall withArg(String from, String to) {
    List<String> replaced = new ArrayList<>(args);
    if (!replaced.contains(from)) {
      throw new IllegalStateException("the library's ARGV " + args + " does not contain '" + from + "'");
    }
    replaced.replaceAll(a -> a.equals(from) ? to : a);
    return new ScriptCall(command, target, keys, replaced);
  }

  /** The same call on another event: the event id inside each key's hash tag replaced. */
  ScriptCall onEvent(String fromEvent, String toEvent) {
    List<String> moved = new ArrayList<>(keys);
    moved.replaceAll(k -> k.replace("{" + fromEvent + "}", "{" + toEvent + "}"));
    return new ScriptCall(command, target, moved, args);
  }

  /** The same KEYS and ARGV sent to another function (a variant of the library's). */
  ScriptCall toFunction(String function) {
    return new ScriptCall(FCALL, function, keys, args);
  }

  /** The arguments after the command name, the same for FCALL and EVALSHA: target, numkeys, keys, args. */
  List<String> arguments() {
    List<String> all = new ArrayList<>();
    all.add(target);
    all.add(Integer.toString(keys.size()));
    all.addAll(keys);
    all.addAll(args);
    return all;
  }

  /** The command's name in {@code INFO commandstats}: {@code fcall} or {@code evalsha}. */
  String statName() {
    return command.toLowerCase(java.util.Locale.ROOT);
  }

  /** Sends the call, with {@code args} in place of the recorded ARGV, on a pipeline. */
  Response<Object> send(Pipeline pipeline, List<String> args) {
    return command.equals(FCALL) ? pipeline.fcall(target, keys, args) : pipeline.evalsha(target, keys, args);
  }

  /** Sends the call as recorded and returns its reply. */
  Object send(Jedis jedis) {
    return command.equals(FCALL) ? jedis.fcall(target, keys, args) : jedis.evalsha(target, keys, args);
  }
}
