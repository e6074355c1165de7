package io.github.waitingqueue.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line.
 *
 * <pre>
 *   --clients N      concurrency of the throughput runs, for the library and redis-benchmark alike (default 50)
 *   --scale-10m      also measure status with 10 million waiting (adds about 3 minutes and 2 GB in Redis)
 *   --only a,b       run only these sections: throughput, latency, roundtrips, memory, scale, costs, http,
 *                    and abandonment (never run unless named: it waits out an idle timeout, about 4 minutes);
 *                    mirror (never run unless named: the line mirror on a line of 1M, or 10M with --scale-10m);
 *                    http needs the service's jar: run from the repository root after packaging it
 *   --no-pin         do not pin Redis and the clients to separate cores
 *   --quick          small counts and short runs: checks that everything works, figures mean nothing
 * </pre>
 */
final class Options {
  static final List<String> SECTIONS =
      List.of("throughput", "latency", "roundtrips", "memory", "scale", "costs", "http", "eta");
  /** Sections that run only when {@code --only} names them. */
  static final List<String> OPTIONAL = List.of("abandonment", "mirror");

  int clients = 50;
  boolean scale10m;
  boolean pin = true;
  boolean quick;
  Set<String> only = new LinkedHashSet<>(SECTIONS);
  private final List<String> given = new ArrayList<>();

  static Options parse(String... args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--clients" -> {
          o.clients = Integer.parseInt(args[++i]);
          o.given.add("--clients " + o.clients);
        }
        case "--scale-10m" -> o.flag("--scale-10m").scale10m = true;
        case "--no-pin" -> o.flag("--no-pin").pin = false;
        case "--quick" -> o.flag("--quick").quick = true;
        case "--only" -> {
          o.only = new LinkedHashSet<>(List.of(args[++i].split(",")));
          if (!o.only.stream().allMatch(s -> SECTIONS.contains(s) || OPTIONAL.contains(s))) {
            throw new IllegalArgumentException("--only takes some of " + SECTIONS + " " + OPTIONAL + ", got " + o.only);
          }
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; use --clients N, --scale-10m, --only " + String.join(",", SECTIONS) + ", --no-pin, --quick");
      }
    }
    return o;
  }

  private Options flag(String flag) {
    given.add(flag);
    return this;
  }

  boolean runs(String section) {
    return only.contains(section);
  }

  /** The command that ran with these options, without --only (each section adds its own). */
  String command() {
    StringBuilder b = new StringBuilder("java -jar examples/benchmarks/target/benchmarks.jar");
    given.forEach(g -> b.append(' ').append(g));
    return b.toString();
  }

  /** Scales a count down in quick mode. */
  long count(long full) {
    return quick ? Math.max(100, full / 100) : full;
  }
}
