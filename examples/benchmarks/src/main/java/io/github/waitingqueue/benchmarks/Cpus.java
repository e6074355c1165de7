package io.github.waitingqueue.benchmarks;

import java.io.IOException;
import java.util.List;

/**
 * Where each process runs. On a machine with 2+ cores and {@code taskset}, Redis gets core 0 and every
 * client (this JVM, redis-benchmark) the other cores, so the library and redis-benchmark compete for the
 * same CPU budget and neither steals Redis's core. Clients run one after another, never together.
 *
 * <p>A service under test (the {@code http} section's) runs, with 3 or more cores, on the cores that neither
 * Redis nor its load generator use (core 1), as a deployed service has a host of its own; with 2 it shares
 * them all.
 */
final class Cpus {
  private final boolean pinned;
  private final int cores;

  Cpus(boolean pinned, int cores) {
    this.pinned = pinned;
    this.cores = cores;
  }

  static Cpus choose(boolean wanted) {
    int cores = Runtime.getRuntime().availableProcessors();
    boolean can = wanted && cores >= 2 && new java.io.File("/usr/bin/taskset").canExecute();
    return new Cpus(can, cores);
  }

  boolean pinned() {
    return pinned;
  }

  int cores() {
    return cores;
  }

  /** The prefix that starts redis-server on its core, or nothing. */
  List<String> forRedis() {
    return pinned ? List.of("taskset", "-c", "0") : List.of();
  }

  /** The prefix that starts a client process (redis-benchmark) on the client cores, or nothing. */
  List<String> forClient() {
    return pinned ? List.of("taskset", "-c", clientCores()) : List.of();
  }

  /**
   * The prefix that starts a service under test on {@link #serviceCores()}, or nothing. A child of this
   * (pinned) JVM would otherwise inherit the client cores.
   */
  List<String> forService() {
    return pinned ? List.of("taskset", "-c", serviceCores()) : List.of();
  }

  /** The prefix that starts a service's load generator (wrk) on {@link #loadCores()}, or nothing. */
  List<String> forLoad() {
    return pinned ? List.of("taskset", "-c", loadCores()) : List.of();
  }

  /** Moves every thread of this JVM (and so every thread it starts later) to the client cores. */
  void pinThisJvm() throws IOException, InterruptedException {
    pinThisJvm(clientCores());
  }

  /** Moves every thread of this JVM to a service's load generator's cores: while it loads a service. */
  void pinThisJvmForLoad() throws IOException, InterruptedException {
    pinThisJvm(loadCores());
  }

  private void pinThisJvm(String cpuList) throws IOException, InterruptedException {
    if (!pinned) {
      return;
    }
    String pid = Long.toString(ProcessHandle.current().pid());
    Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpuList, pid).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) {
      throw new IOException("taskset could not pin this JVM");
    }
  }

  String clientCores() {
    return cores == 2 ? "1" : "1-" + (cores - 1);
  }

  /** A service under test's cores: those after Redis's and the load generator's, or all of them on 2 cores. */
  String serviceCores() {
    if (cores <= 2) {
      return "0-" + (cores - 1);
    }
    return cores == 3 ? "2" : "2-" + (cores - 1);
  }

  /** A service's load generator's cores: core 1, beside Redis's core 0 (the client core itself on 2 cores). */
  String loadCores() {
    return "1";
  }

  String describe() {
    return pinned ? "redis-server on core 0, clients (this JVM, redis-benchmark) on cores " + clientCores()
        : "not pinned";
  }
}
