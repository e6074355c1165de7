package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.redis.TestRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, started with {@code java -jar} as the README says (after {@code package}, so run by
 * failsafe): it prints its URL once ready and serves; it falls back to memory without Redis; and
 * {@code --simulate} runs users through it and exits.
 */
class JarLaunchIT {
  private static final Pattern READY = Pattern.compile("Waiting room on (.+): http://localhost:(\\d+)/");
  private static final String SECRET = "jar-launch-test-secret-at-least-32-bytes";

  static Path jar() {
    Path jar = Path.of(System.getProperty("server.jar", "target/waiting-room-server.jar"));
    assertThat(jar).as("build it with mvn package first").exists();
    return jar;
  }

  /** A started jar, with everything it printed so far. */
  record Launched(Process process, List<String> lines, Matcher ready) {}

  static Launched launch(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line;
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      lines.add(line);
      Matcher ready = READY.matcher(line);
      if (ready.find()) {
        // Keep draining so the server never blocks on a full pipe.
        Thread drain = new Thread(() -> out.lines().forEach(lines::add));
        drain.setDaemon(true);
        drain.start();
        return new Launched(process, lines, ready);
      }
    }
    process.destroyForcibly();
    throw new AssertionError("the jar never printed its URL; it printed:\n" + String.join("\n", lines));
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void startsOnRedisPrintsItsUrlAndServesThePage() throws Exception {
    try (TestRedis redis = TestRedis.startLocal(List.of())) {
      Launched server = launch("--port", "0", "--redis", redis.uri(), "--secret", SECRET);
      try {
        assertThat(server.ready().group(1)).startsWith("Redis at " + redis.uri());
        int port = Integer.parseInt(server.ready().group(2));
        assertThat(get(port, "/").statusCode()).isEqualTo(200);
        assertThat(get(port, "/api/v1/queue/stats?event_id=jar-test").body()).contains("\"exists\":false");
        HttpResponse<String> health = get(port, "/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("{").contains("\"waitingQueue\"", "\"status\":\"UP\"");
        assertThat(get(port, "/actuator/prometheus").body()).contains("jvm_memory_used_bytes");
      } finally {
        server.process().destroy();
        server.process().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void withoutRedisStartsInMemoryAndSaysSoOnOneLine() throws Exception {
    Launched server = launch("--port", "0", "--redis", "redis://127.0.0.1:" + freePort(), "--secret", SECRET);
    try {
      assertThat(server.lines()).filteredOn(l -> l.contains("IN-MEMORY")).hasSize(1);
      assertThat(server.ready().group(1)).startsWith("the in-memory queue");
      int port = Integer.parseInt(server.ready().group(2));
      assertThat(get(port, "/operator").statusCode()).isEqualTo(200);
    } finally {
      server.process().destroy();
      server.process().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutSecretSaysItUsesTheDevelopmentKey() throws Exception {
    Launched server = launch("--port", "0", "--redis", "redis://127.0.0.1:" + freePort());
    try {
      assertThat(server.lines()).anyMatch(l -> l.contains("QUEUE_SECRET is not set"));
    } finally {
      server.process().destroy();
      server.process().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void simulateRunsUsersThroughAndExitsWithASummary() throws Exception {
    try (TestRedis redis = TestRedis.startLocal(List.of())) {
      Launched server = launch("--port", "0", "--redis", redis.uri(), "--secret", SECRET, "--simulate", "30");
      assertThat(server.process().waitFor(90, TimeUnit.SECONDS)).as("exits by itself").isTrue();
      Thread.sleep(200);
      assertThat(server.process().exitValue()).as(String.join("\n", server.lines())).isZero();
      assertThat(String.join("\n", server.lines())).contains("Simulation of 30 users", "p50", "p95", "p99");
    }
  }

  @Test
  void rejectsAShortSecret() throws Exception {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar().toString(), "--port", "0", "--secret", "short").redirectErrorStream(true).start();
    String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(printed).contains("waitingqueue.signing.keys[0]", "at least 32 bytes");
    assertThat(Files.exists(jar())).isTrue();
  }
}
