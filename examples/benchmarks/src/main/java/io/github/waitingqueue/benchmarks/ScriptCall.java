package io.github.waitingqueue.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * One script call exactly as the library made it: the script's SHA1, its KEYS and its ARGV. Captured from
 * a real library call, so the benchmark never carries its own copy of a script or of its arguments.
 *
 * @param sha1 the script's SHA1
 * @param keys the KEYS
 * @param args the ARGV
 */
record ScriptCall(String sha1, List<String> keys, List<String> args) {
  ScriptCall {
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
    return new ScriptCall(sha1, keys, replaced);
  }

  /** The same call on another event: the event id inside each key's hash tag replaced. */
  ScriptCall onEvent(String fromEvent, String toEvent) {
    List<String> moved = new ArrayList<>(keys);
    moved.replaceAll(k -> k.replace("{" + fromEvent + "}", "{" + toEvent + "}"));
    return new ScriptCall(sha1, moved, args);
  }

  /** The arguments of {@code EVALSHA} after the command name: sha, numkeys, keys, args. */
  List<String> evalshaArguments() {
    List<String> all = new ArrayList<>();
    all.add(sha1);
    all.add(Integer.toString(keys.size()));
    all.addAll(keys);
    all.addAll(args);
    return all;
  }
}
