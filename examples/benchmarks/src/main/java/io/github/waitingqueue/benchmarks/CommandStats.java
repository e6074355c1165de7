package io.github.waitingqueue.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code calls} and {@code usec} of each command in Redis {@code INFO commandstats}, to count round trips: the
 * difference of two snapshots says how many FCALL, EVALSHA, EVAL and FUNCTION LOAD a stretch of library calls
 * sent. (Commands a script runs inside Redis, such as ZRANK, are counted too; they are not round trips. An
 * FCALL's usec includes the commands it ran.)
 */
record CommandStats(Map<String, Long> calls, Map<String, Long> micros) {
  /** The commands a client sends to run the library's code. */
  static final List<String> SCRIPT_COMMANDS = List.of("fcall", "evalsha", "eval", "function|load");

  CommandStats {
    calls = Map.copyOf(calls);
    micros = Map.copyOf(micros);
  }

  /** Parses the text of {@code INFO commandstats}. */
  static CommandStats parse(String info) {
    Map<String, Long> calls = new TreeMap<>();
    Map<String, Long> micros = new TreeMap<>();
    for (String line : info.split("\r?\n")) {
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      int colon = line.indexOf(':');
      String command = line.substring("cmdstat_".length(), colon);
      for (String field : line.substring(colon + 1).split(",")) {
        if (field.startsWith("calls=")) {
          calls.put(command, Long.parseLong(field.substring("calls=".length())));
        } else if (field.startsWith("usec=")) {
          micros.put(command, Long.parseLong(field.substring("usec=".length())));
        }
      }
    }
    return new CommandStats(calls, micros);
  }

  /** Calls of one command, 0 when Redis has not seen it. */
  long of(String command) {
    return calls.getOrDefault(command, 0L);
  }

  /** Microseconds Redis spent in one command, 0 when it has not seen it. */
  long micros(String command) {
    return micros.getOrDefault(command, 0L);
  }

  /** Microseconds per call of one command, 0 when it has not seen it. */
  double microsPerCall(String command) {
    long n = of(command);
    return n == 0 ? 0 : micros(command) / (double) n;
  }

  /** Whether Redis saw exactly {@code n} calls of {@code command} and none of the other {@link #SCRIPT_COMMANDS}. */
  boolean onlyScriptCommand(String command, long n) {
    return SCRIPT_COMMANDS.stream().allMatch(c -> of(c) == (c.equals(command) ? n : 0));
  }

  /** The script commands Redis saw, e.g. {@code "fcall=1000 evalsha=0 eval=0 function|load=0"}. */
  String scriptCommands() {
    StringBuilder b = new StringBuilder();
    SCRIPT_COMMANDS.forEach(c -> b.append(b.length() == 0 ? "" : " ").append(c).append('=').append(of(c)));
    return b.toString();
  }

  /** Calls of the commands scripts ran inside Redis: all but the script commands, INFO and subcommands. */
  long innerCalls() {
    return calls.entrySet().stream().filter(e -> inner(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  /** Microseconds in the commands scripts ran inside Redis. */
  long innerMicros() {
    return micros.entrySet().stream().filter(e -> inner(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  /** The inner command that took the most time, with its share, e.g. {@code "hmget 40%"}. */
  String costliestInner() {
    long total = Math.max(1, innerMicros());
    return micros.entrySet().stream().filter(e -> inner(e.getKey())).max(Map.Entry.comparingByValue())
        .map(e -> e.getKey() + " " + Math.round(100.0 * e.getValue() / total) + "%").orElse("none");
  }

  /** The {@code n} inner commands that took the most time: name, calls, usec in all and per call. */
  List<Map<String, Object>> costliestInner(int n) {
    return micros.entrySet().stream().filter(e -> inner(e.getKey()))
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
        .map(e -> Map.<String, Object>of("command", e.getKey(), "calls", of(e.getKey()), "usec", e.getValue(),
            "usec_per_call", microsPerCall(e.getKey())))
        .toList();
  }

  private static boolean inner(String command) {
    // subcommands (function|load, config|get from redis-benchmark) are never run inside the library's code
    return !SCRIPT_COMMANDS.contains(command) && !command.equals("fcall_ro") && !command.equals("info")
        && command.indexOf('|') < 0;
  }

  /** Calls and time of each command since {@code before}. */
  CommandStats since(CommandStats before) {
    return new CommandStats(minus(calls, before.calls), minus(micros, before.micros));
  }

  private static Map<String, Long> minus(Map<String, Long> now, Map<String, Long> then) {
    Map<String, Long> delta = new TreeMap<>();
    now.forEach((command, n) -> {
      long d = n - then.getOrDefault(command, 0L);
      if (d != 0) {
        delta.put(command, d);
      }
    });
    return delta;
  }
}
