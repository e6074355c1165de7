package io.github.waitingqueue.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the benchmarks of issues 6 and 13 against a redis-server it starts on a free port, prints every figure with
 * the environment and the command that reproduces it, and writes them all to {@code results.json} beside
 * the jar. See docs/BENCHMARKS.md.
 *
 * <pre>
 *   mvn -q -pl examples/benchmarks -am package -DskipTests &amp;&amp; java -jar examples/benchmarks/target/benchmarks.jar
 * </pre>
 */
public final class Benchmarks {
  private Benchmarks() {}

  /**
   * Runs the sections the options choose.
   *
   * @param args see {@link Options}
   * @throws Exception when a section fails: a failed check is a failed run, never a figure
   */
  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Cpus cpus = Cpus.choose(options.pin);
    long started = System.nanoTime();
    try (LocalRedis redis = LocalRedis.start(cpus)) {
      cpus.pinThisJvm();
      Environment environment = Environment.detect(redis, cpus);
      Bench bench = new Bench(redis, cpus, options, environment);
      System.out.println("waiting-queue benchmarks: " + options.command());
      System.out.println(environment.line());

      Map<String, Object> results = new LinkedHashMap<>();
      results.put("started_at", Instant.now().toString());
      results.put("command", options.command());
      results.put("environment", environment.toMap());
      results.put("load_average_at_start", Bench.loadAverage());
      Map<String, Object> sections = new LinkedHashMap<>();
      results.put("sections", sections);
      if (options.runs("roundtrips")) {
        sections.put("roundtrips", withCommand(bench, "roundtrips", RoundTrips.run(bench)));
      }
      if (options.runs("throughput")) {
        sections.put("throughput", withCommand(bench, "throughput", Throughput.run(bench)));
      }
      if (options.runs("latency")) {
        sections.put("latency", withCommand(bench, "latency", Latency.run(bench)));
      }
      if (options.runs("memory")) {
        sections.put("memory", withCommand(bench, "memory", Memory.run(bench)));
      }
      if (options.runs("scale")) {
        sections.put("scale", withCommand(bench, "scale", Scale.run(bench)));
      }
      if (options.runs("costs")) {
        sections.put("costs", withCommand(bench, "costs", Costs.run(bench)));
      }
      if (options.runs("abandonment")) {
        sections.put("abandonment", withCommand(bench, "abandonment", Abandonment.run(bench)));
      }
      if (options.runs("mirror")) {
        sections.put("mirror", withCommand(bench, "mirror", Mirror.run(bench)));
      }
      if (options.runs("http")) {
        sections.put("http", withCommand(bench, "http", HttpService.run(bench)));
      }
      if (options.runs("eta")) {
        sections.put("eta", withCommand(bench, "eta", Eta.run(bench)));
      }
      results.put("load_average_at_end", Bench.loadAverage());
      results.put("seconds", Math.round((System.nanoTime() - started) / 1e9));
      Path file = resultsFile();
      Files.writeString(file, toJson(results));
      System.out.println();
      System.out.printf("done in %d s; results in %s%n", Math.round((System.nanoTime() - started) / 1e9), file);
    }
  }

  /** results.json's text: indented JSON, one member a line. */
  static String toJson(Map<String, Object> results) {
    return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(results) + "\n";
  }

  private static Map<String, Object> withCommand(Bench bench, String section, Map<String, Object> figures) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", bench.command(section));
    m.putAll(figures);
    return m;
  }

  /** results.json beside the jar (examples/benchmarks/target/), or in the working directory. */
  private static Path resultsFile() {
    try {
      Path jar = Path.of(Benchmarks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = Files.isDirectory(jar) ? jar.getParent() : jar.getParent();
      return dir.resolve("results.json");
    } catch (Exception e) {
      return Path.of("results.json");
    }
  }
}
