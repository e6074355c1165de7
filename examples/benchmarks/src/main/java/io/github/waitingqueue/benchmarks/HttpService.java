package io.github.waitingqueue.benchmarks;

import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.SigningKeys;
import io.github.waitingqueue.WaitingQueue;
import io.github.waitingqueue.redis.RedisWaitingQueue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.RedisClient;

/**
 * Section {@code http}: the example service's status endpoint ({@code GET /api/v1/queue/status}) over
 * keep-alive HTTP, beside the library's direct status call, in the same run on the same Redis and line.
 *
 * <p>The packaged service ({@code examples/waiting-room-server/target/waiting-room-server.jar}) is started
 * on the benchmark's Redis. On 3 or more cores it gets the cores that neither Redis (core 0) nor the load
 * generators (wrk and this JVM, which makes the direct calls too: core 1) use, as a deployed service has a
 * host of its own; on 2 cores it may run on both, and takes what Redis and the load generator leave
 * ({@link Cpus}). A line of {@link #LINE} users is joined through the
 * library with the service's signing key, so that both sides read the same tickets (a random one each call).
 *
 * <ol>
 *   <li>Throughput at {@link #CONNECTIONS} connections: the library's closed loop on that many threads
 *       against {@code wrk} (Debian's package; {@code bin/setup} installs it) on that many keep-alive
 *       connections; {@code fraction} = HTTP / direct, goal at least 0.5.</li>
 *   <li>Latency at the same offered load, open loop (each call due at its time, late starts counted): half
 *       the HTTP throughput, on the library directly and on the service through {@code java.net.http}'s
 *       keep-alive client, three alternating attempts a side, the median by p99 reported; goal: the
 *       service's p99 within 2x the direct call's.</li>
 * </ol>
 */
final class HttpService {
  static final int CONNECTIONS = 64;
  static final long LINE = 10_000;
  private static final String EVENT = "http";
  private static final String SECRET = "http-benchmark-signing-secret-of-32-bytes+";
  private static final String STATUS_PATH = "/api/v1/queue/status?token=";
  private static final Pattern READY = Pattern.compile("Waiting room on Redis at .*: http://localhost:(\\d+)/");

  private HttpService() {}

  static Map<String, Object> run(Bench b) throws Exception {
    Path jar = serverJar();
    Path wrk = Path.of("/usr/bin/wrk");
    if (!Files.isExecutable(wrk)) {
      throw new IllegalStateException("wrk is missing: bin/setup --no-start installs it (apt-get install -y wrk)");
    }
    double seconds = b.options.quick ? 2 : 10;
    b.header("http", "the service's status endpoint over " + CONNECTIONS + " keep-alive connections (wrk) beside the "
        + "library's direct status call on " + CONNECTIONS + " threads; then both at the same open-loop load");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("connections", CONNECTIONS);
    out.put("waiting", LINE);
    QueueConfig config = QueueConfig.builder().signingKeys(SigningKeys.ofText("k1", SECRET))
        .defaultEventSettings(Bench.SETTINGS).build();
    // this JVM is the load generator of both sides here: on 3+ cores it keeps off the service's cores
    b.cpus.pinThisJvmForLoad();
    try (RedisClient client = b.redis.client(CONNECTIONS);
         WaitingQueue queue = RedisWaitingQueue.builder(client).config(config).build();
         Service service = Service.start(b, jar)) {
      String[] tokens = new String[(int) LINE];
      ClosedLoop.run(CONNECTIONS, LINE, i -> tokens[(int) i] = queue.join(EVENT, Users.id(i)).waitingToken());
      Path tokenFile = Files.createTempFile("wq-http-tokens-", ".txt");
      Path script = Files.createTempFile("wq-http-status-", ".lua");
      try {
        Files.write(tokenFile, List.of(tokens));
        Files.writeString(script, wrkScript(tokenFile));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI base = URI.create("http://127.0.0.1:" + service.port + STATUS_PATH);
        HttpResponse<String> probe = http.send(HttpRequest.newBuilder(URI.create(base + tokens[0])).build(),
            HttpResponse.BodyHandlers.ofString());
        if (probe.statusCode() != 200 || !probe.body().contains("\"position\":")) {
          throw new IllegalStateException("the service does not read the benchmark's line: " + probe.body());
        }

        // 1. Throughput, closed loop, the same concurrency on both sides. Warm-ups first: JIT of both JVMs.
        long directCalls = b.options.count(200_000);
        ClosedLoop.run(CONNECTIONS, directCalls / 2, i -> queue.status(randomToken(tokens)));
        double direct = 0;
        for (int round = 0; round < 3; round++) {
          direct = Math.max(direct, ClosedLoop.run(CONNECTIONS, directCalls, i -> queue.status(randomToken(tokens))));
        }
        Bench.print("direct status, %d threads: %,.0f calls/s (best of 3)", CONNECTIONS, direct);
        // The service's JIT needs tens of thousands of requests; a slow start must not cut the warm-up short.
        long warmUpRequests = b.options.quick ? 2_000 : 100_000;
        for (long served = 0; served < warmUpRequests; ) {
          Wrk warmUp = Wrk.run(b, wrk, script, service.port, Math.max(2, seconds / 2));
          served += Math.round(warmUp.requestsPerSecond * Math.max(2, seconds / 2));
        }
        Wrk best = null;
        for (int round = 0; round < 3; round++) {
          Wrk r = Wrk.run(b, wrk, script, service.port, seconds);
          best = best == null || r.requestsPerSecond > best.requestsPerSecond ? r : best;
        }
        double fraction = best.requestsPerSecond / direct;
        Bench.print("HTTP status, wrk %d connections: %,.0f requests/s (best of 3), p50 %.3f ms, p99 %.3f ms;"
            + " fraction %.2f  goal >= 0.5: %s", CONNECTIONS, best.requestsPerSecond, best.p50Millis, best.p99Millis,
            fraction, Bench.verdict(fraction >= 0.5));
        out.put("http_status_per_s", Math.round(best.requestsPerSecond));
        out.put("direct_status_per_s", Math.round(direct));
        out.put("fraction", fraction);
        out.put("goal_fraction", 0.5);
        out.put("met_fraction", fraction >= 0.5);
        out.put("http_p50_ms", best.p50Millis);
        out.put("http_p99_ms", best.p99Millis);
        out.put("wrk_command", best.command);
        out.put("service_placement", b.cpus.pinned() ? "cores " + b.cpus.serviceCores() + " (redis-server on core 0;"
            + " wrk and this JVM on " + b.cpus.loadCores() + ")" : "not pinned");

        // 2. Latency at the same offered load, open loop.
        // for trials: -Dwq.http.open-loop-share=0.25 offers a quarter of the HTTP throughput instead of half
        double share = Double.parseDouble(System.getProperty("wq.http.open-loop-share", "0.5"));
        double rate = Math.floor(best.requestsPerSecond * share / 100) * 100;
        long count = (long) (rate * seconds);
        LongFunction<Integer> directCall = i -> {
          queue.status(randomToken(tokens));
          return 0;
        };
        // A pool of keep-alive connections, each call borrowing one and reading its answer in the worker's
        // thread, as the direct side borrows its Redis connection from Jedis's pool; -Dwq.http.client=jdk
        // measures through java.net.http's client instead.
        boolean jdkClient = "jdk".equals(System.getProperty("wq.http.client"));
        out.put("open_loop_client", jdkClient ? "java.net.http" : "a pool of blocking keep-alive sockets");
        Queue<KeepAliveClient> connections = new ConcurrentLinkedQueue<>();
        LongFunction<Integer> httpCall = i -> {
          String path = STATUS_PATH + randomToken(tokens);
          try {
            int status = jdkClient
                ? http.send(HttpRequest.newBuilder(URI.create(base + path.substring(STATUS_PATH.length()))).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()
                : pooled(connections, service.port, path);
            if (status != 200) {
              throw new IllegalStateException("HTTP " + status);
            }
          } catch (IOException e) {
            throw new IllegalStateException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          return 0;
        };
        // Warm-ups of both open loops' own paths (this JVM's HTTP client has not run yet).
        OpenLoop.run(rate, count / 2, CONNECTIONS, 1, directCall);
        OpenLoop.run(rate, count / 2, CONNECTIONS, 1, httpCall);
        // Three alternating attempts a side, the median by p99 reported: another process disturbing one
        // attempt neither sinks nor makes a side.
        List<OpenLoop.Result> directs = new ArrayList<>();
        List<OpenLoop.Result> https = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
          directs.add(OpenLoop.run(rate, count, CONNECTIONS, 1, directCall));
          https.add(OpenLoop.run(rate, count, CONNECTIONS, 1, httpCall));
          Bench.print("open loop attempt %d: p99 direct %.3f ms, HTTP %.3f ms", attempt + 1, p99(directs.get(attempt)),
              p99(https.get(attempt)));
        }
        OpenLoop.Result directLoop = median(directs);
        OpenLoop.Result httpLoop = median(https);
        Histogram d = directLoop.histograms().get(0);
        Histogram h = httpLoop.histograms().get(0);
        double ratio = (h.getValueAtPercentile(99) / 1000.0) / Math.max(0.001, d.getValueAtPercentile(99) / 1000.0);
        boolean met = httpLoop.held() && directLoop.held() && ratio <= 2;
        Bench.print("open loop at %,.0f/s offered, direct: %s", rate, Bench.percentileLine(d));
        Bench.print("open loop at %,.0f/s offered, HTTP:   %s", rate, Bench.percentileLine(h));
        Bench.print("HTTP p99 / direct p99 = %.2f  goal <= 2: %s", ratio, Bench.verdict(met));
        Map<String, Object> open = new LinkedHashMap<>();
        open.put("offered_per_s", Math.round(rate));
        Map<String, Object> directFigures = Bench.percentiles(d);
        directFigures.put("completed_per_s", Math.round(directLoop.completed()));
        Map<String, Object> httpFigures = Bench.percentiles(h);
        httpFigures.put("completed_per_s", Math.round(httpLoop.completed()));
        open.put("direct", directFigures);
        open.put("http", httpFigures);
        open.put("p99_ratio", ratio);
        open.put("attempts_p99_ms_direct", directs.stream().map(HttpService::p99).toList());
        open.put("attempts_p99_ms_http", https.stream().map(HttpService::p99).toList());
        open.put("goal", "HTTP p99 within 2x the direct call's, both schedules kept");
        open.put("met", met);
        out.put("open_loop", open);
        connections.forEach(KeepAliveClient::close);
      } finally {
        Files.deleteIfExists(tokenFile);
        Files.deleteIfExists(script);
      }
    } finally {
      b.cpus.pinThisJvm();
    }
    return out;
  }

  /** {@code GET path} on a pooled connection (a new one when all are busy); its status code. */
  private static int pooled(Queue<KeepAliveClient> pool, int port, String path) throws IOException {
    KeepAliveClient c = pool.poll();
    if (c == null) {
      c = new KeepAliveClient("127.0.0.1", port);
    }
    int status = c.get(path).status();
    pool.add(c);
    return status;
  }

  private static double p99(OpenLoop.Result r) {
    return r.histograms().get(0).getValueAtPercentile(99) / 1000.0;
  }

  private static OpenLoop.Result median(List<OpenLoop.Result> attempts) {
    List<OpenLoop.Result> sorted = new ArrayList<>(attempts);
    sorted.sort(java.util.Comparator.comparingDouble(HttpService::p99));
    return sorted.get(sorted.size() / 2);
  }

  private static String randomToken(String[] tokens) {
    return tokens[ThreadLocalRandom.current().nextInt(tokens.length)];
  }

  /** wrk's request generator: a random waiting token of the line for each request. */
  static String wrkScript(Path tokenFile) {
    return String.join("\n",
        "local tokens = {}",
        "for line in io.lines(\"" + tokenFile + "\") do tokens[#tokens + 1] = line end",
        "math.randomseed(os.time())",
        "request = function()",
        "  return wrk.format(\"GET\", \"/api/v1/queue/status?token=\" .. tokens[math.random(#tokens)])",
        "end", "");
  }

  /** The service's jar: {@code -Dserver.jar=...}, or where {@code mvn package} puts it, from the repository root. */
  static Path serverJar() {
    Path jar = Path.of(System.getProperty("server.jar", "examples/waiting-room-server/target/waiting-room-server.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build it with mvn -q -pl "
          + "examples/waiting-room-server,examples/benchmarks -am package -DskipTests, and run from the repository root");
    }
    return jar;
  }

  /** One wrk run: requests per second and latency percentiles (closed loop, as wrk measures). */
  record Wrk(double requestsPerSecond, double p50Millis, double p99Millis, String command) {
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern ERRORS = Pattern.compile("(Non-2xx or 3xx responses|Socket errors): (.*)");

    static Wrk run(Bench b, Path wrk, Path script, int port, double seconds) throws IOException, InterruptedException {
      int threads = b.cpus.pinned() ? 1 : Math.max(1, b.cpus.cores() - 1); // pinned: on one core, loadCores()
      List<String> command = new ArrayList<>(b.cpus.forLoad());
      command.addAll(List.of(wrk.toString(), "-t", Integer.toString(threads), "-c", Integer.toString(CONNECTIONS),
          "-d", Math.round(seconds) + "s", "--latency", "-s", script.toString(), "http://127.0.0.1:" + port + "/"));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("wrk failed: " + output);
      }
      Matcher errors = ERRORS.matcher(output);
      if (errors.find()) {
        throw new IllegalStateException("wrk saw failures (" + errors.group() + "):\n" + output);
      }
      Matcher rate = RATE.matcher(output);
      if (!rate.find()) {
        throw new IOException("no Requests/sec in wrk's output:\n" + output);
      }
      return new Wrk(Double.parseDouble(rate.group(1)), percentile(output, "50%"), percentile(output, "99%"),
          String.join(" ", command));
    }

    /** A line of wrk's "Latency Distribution", such as {@code 99%   12.34ms}, in milliseconds. */
    static double percentile(String output, String which) {
      Matcher m = Pattern.compile("^\\s*" + Pattern.quote(which) + "\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE)
          .matcher(output);
      if (!m.find()) {
        throw new IllegalStateException("no " + which + " line in wrk's output:\n" + output);
      }
      double value = Double.parseDouble(m.group(1));
      return switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "us" -> value / 1000;
        case "s" -> value * 1000;
        default -> value;
      };
    }
  }

  /** The packaged service, started with {@code java -jar} on its cores and the benchmark's Redis. */
  static final class Service implements AutoCloseable {
    final Process process;
    final int port;

    private Service(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static Service start(Bench b, Path jar) throws IOException {
      List<String> command = new ArrayList<>(b.cpus.forService());
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // for trials: JVM options of the service, e.g. -Dwq.http.service-java-options="-XX:+UseParallelGC"
      String options = System.getProperty("wq.http.service-java-options", "").trim();
      if (!options.isEmpty()) {
        command.addAll(List.of(options.split("\\s+")));
      }
      command.addAll(List.of("-jar", jar.toString(), "--port", "0", "--redis", "redis://127.0.0.1:" + b.redis.port(),
          "--secret", SECRET, "--waitingqueue.redis.fallback-to-memory=false",
          "--waitingqueue.redis.pool-size=" + CONNECTIONS));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder printed = new StringBuilder();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      String line;
      while (System.nanoTime() < deadline && (line = lines.readLine()) != null) {
        printed.append(line).append('\n');
        Matcher ready = READY.matcher(line);
        if (ready.find()) {
          Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "service-output");
          drain.setDaemon(true);
          drain.start();
          return new Service(process, Integer.parseInt(ready.group(1)));
        }
      }
      process.destroyForcibly();
      throw new IOException("the service did not start on Redis; it printed:\n" + printed);
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
