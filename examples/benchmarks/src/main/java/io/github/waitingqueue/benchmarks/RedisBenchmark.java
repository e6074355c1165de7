package io.github.waitingqueue.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs {@code redis-benchmark} on one recorded call (FCALL or EVALSHA): the machine's own limit for that script at a given
 * concurrency, with a C client that costs Redis nothing beyond the protocol.
 */
final class RedisBenchmark {
  private RedisBenchmark() {}

  /** What one redis-benchmark run measured, and the command that ran it. */
  record Result(double opsPerSecond, double p50Millis, String command) {}

  /**
   * Runs it.
   *
   * @param random the keyspace for {@code __rand_int__} in the arguments, or 0 for none
   */
  static Result run(Cpus cpus, int port, int clients, long requests, long random, ScriptCall call)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(cpus.forClient());
    command.addAll(List.of("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(port),
        "-c", Integer.toString(clients), "-n", Long.toString(requests), "--csv"));
    if (random > 0) {
      command.addAll(List.of("-r", Long.toString(random)));
    }
    command.add(call.command());
    command.addAll(call.arguments());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("redis-benchmark failed: " + out);
    }
    // --csv: a header line, then "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms",...
    for (String line : out.split("\r?\n")) {
      String[] f = line.split("\",\"");
      if (f.length > 4 && !line.startsWith("\"test\"")) {
        return new Result(Double.parseDouble(f[1]), Double.parseDouble(f[4]), shell(command));
      }
    }
    throw new IOException("no result in redis-benchmark output: " + out);
  }

  /** The command as one would type it in a shell. */
  static String shell(List<String> command) {
    return command.stream().map(RedisBenchmark::quote).collect(Collectors.joining(" "));
  }

  private static String quote(String arg) {
    if (arg.isEmpty()) {
      return "''";
    }
    return arg.matches("[A-Za-z0-9_./:=@%+,-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}
