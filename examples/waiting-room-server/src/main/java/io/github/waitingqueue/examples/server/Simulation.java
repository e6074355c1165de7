package io.github.waitingqueue.examples.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends N virtual users through a waiting-room server over its REST API, as browsers would: each joins,
 * polls its status, and enters when ready; about one in ten is impatient and leaves after a few seconds,
 * and one in twenty closes the tab right after joining, stops polling, and is evicted by the queue.
 * Shows a progress bar while the queue drains, then a summary: admitted, left, evicted, and the
 * p50/p95/p99 of the wait from join to admission.
 *
 * <p>Each user is a small state machine stepped by a scheduler: one HTTP call per step, then it sleeps
 * until its next poll. So thousands of users need a handful of threads, on JDK 17 too.
 */
public final class Simulation {
  /** Faster than the page's pace: the simulated event evicts after a few seconds without a poll. */
  private static final Duration POLL = Duration.ofMillis(500);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int THREADS = 16;
  private static final int MAX_ERRORS_IN_A_ROW = 10;
  /** Short abandonment limits for the simulated event, so that evictions happen within the run. */
  private static final int IDLE_TIMEOUT_SEC = 5;
  private static final int READY_GRACE_SEC = 3;

  private final URI base;
  private final int users;
  private final PrintStream out;
  private final Optional<String> adminToken;
  private final String eventId;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(THREADS, r -> {
    Thread t = new Thread(r, "virtual-user");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicInteger left = new AtomicInteger();
  private final AtomicInteger evicted = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final ConcurrentLinkedQueue<Long> waitMillis = new ConcurrentLinkedQueue<>();
  private CountDownLatch done;
  private long deadlineNanos;

  /**
   * The result of a run.
   *
   * @param eventId the event the users queued for
   * @param users virtual users sent
   * @param admitted users who entered
   * @param left users who gave up and left the line
   * @param evicted users whose ticket vanished while they were still waiting for it
   * @param failed users stopped by errors (server errors, refused connections)
   * @param p50 median wait from join to admission, seconds
   * @param p95 95th percentile wait, seconds
   * @param p99 99th percentile wait, seconds
   * @param elapsedSeconds the run's duration
   */
  public record Summary(String eventId, int users, int admitted, int left, int evicted, int failed,
      double p50, double p95, double p99, double elapsedSeconds) {
    /**
     * The process exit code: 0 when every user ended as admitted, left or evicted.
     *
     * @return 0 or 1
     */
    public int exitCode() {
      return failed == 0 && admitted + left + evicted == users ? 0 : 1;
    }
  }

  /**
   * A simulation against a running server.
   *
   * @param base the server's base URL, such as {@code http://localhost:8080/}
   * @param users how many virtual users
   * @param out where the progress bar and summary go
   */
  public Simulation(URI base, int users, PrintStream out) {
    this(base, users, out, Optional.empty(), "simulation-" + System.currentTimeMillis());
  }

  /**
   * A simulation against a running server, on a named event.
   *
   * @param base the server's base URL
   * @param users how many virtual users
   * @param out where the progress bar and summary go
   * @param adminToken the server's admin token, if it requires one (to set the event's rate)
   * @param eventId the event to queue for
   */
  public Simulation(URI base, int users, PrintStream out, Optional<String> adminToken, String eventId) {
    this.base = base.resolve("/api/v1/");
    this.users = users;
    this.out = out;
    this.adminToken = adminToken;
    this.eventId = eventId;
  }

  /**
   * Runs the users, draws progress until all have finished or the time limit passes, and prints the summary.
   *
   * @return the summary
   */
  public Summary run() {
    // Paced so a run drains in about 15 s whatever N is: a newcomer watches the line move.
    double rate = Math.max(5, users / 15.0);
    double arrivalSeconds = Math.min(5, 1 + users / 100.0);
    long limitSeconds = (long) (arrivalSeconds + 2 * users / rate) + 30;
    configureEvent(rate);
    out.printf(Locale.ROOT, "Simulating %d users on event %s: arriving over %.0f s, admitted at %.0f/s;%n"
        + "1 in 10 gives up after a few seconds, 1 in 20 closes the tab (evicted after %d s without polling)%n",
        users, eventId, arrivalSeconds, rate, IDLE_TIMEOUT_SEC);
    long start = System.nanoTime();
    deadlineNanos = start + TimeUnit.SECONDS.toNanos(limitSeconds);
    done = new CountDownLatch(users);
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < users; i++) {
      int kind = random.nextInt(20);
      boolean ghost = kind == 0;
      boolean impatient = kind == 1 || kind == 2;
      long patience = impatient ? 1000 + random.nextLong(5000) : Long.MAX_VALUE;
      VirtualUser user = new VirtualUser("sim-user-" + i, patience, ghost);
      scheduler.schedule(user, (long) (random.nextDouble() * arrivalSeconds * 1000), TimeUnit.MILLISECONDS);
    }
    boolean terminal = System.console() != null;
    long lastLine = 0;
    try {
      while (!done.await(200, TimeUnit.MILLISECONDS) && System.nanoTime() < deadlineNanos + 5_000_000_000L) {
        if (terminal) {
          out.print("\r" + progressLine());
        } else if (System.nanoTime() - lastLine > 2_000_000_000L) {
          out.println(progressLine());
          lastLine = System.nanoTime();
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.print(terminal ? "\r" + progressLine() + "\n" : progressLine() + "\n");
    scheduler.shutdownNow();
    Summary summary = summarize((System.nanoTime() - start) / 1e9);
    printSummary(summary);
    return summary;
  }

  private String progressLine() {
    int finished = admitted.get() + left.get() + evicted.get() + failed.get();
    int width = 30;
    int filled = users == 0 ? width : (int) ((long) finished * width / users);
    return String.format(Locale.ROOT, "[%s%s] %d/%d  admitted %d  left %d  evicted %d  waiting %d",
        "#".repeat(filled), ".".repeat(width - filled), finished, users, admitted.get(), left.get(),
        evicted.get(), users - finished);
  }

  private Summary summarize(double elapsed) {
    List<Long> waits = new ArrayList<>(waitMillis);
    Collections.sort(waits);
    return new Summary(eventId, users, admitted.get(), left.get(), evicted.get(),
        users - admitted.get() - left.get() - evicted.get(),
        percentile(waits, 50), percentile(waits, 95), percentile(waits, 99), elapsed);
  }

  private void printSummary(Summary s) {
    out.printf(Locale.ROOT, "%nSimulation of %d users on %s finished in %.1f s%n", s.users(), s.eventId(),
        s.elapsedSeconds());
    out.printf(Locale.ROOT, "  admitted %d, left %d, evicted %d, failed %d%n", s.admitted(), s.left(),
        s.evicted(), s.failed());
    out.printf(Locale.ROOT, "  wait from join to admission: p50 %.1f s, p95 %.1f s, p99 %.1f s%n",
        s.p50(), s.p95(), s.p99());
  }

  /** Nearest-rank percentile, in seconds; 0 for no values. */
  static double percentile(List<Long> sortedMillis, int p) {
    if (sortedMillis.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sortedMillis.size());
    return sortedMillis.get(Math.max(0, rank - 1)) / 1000.0;
  }

  private void configureEvent(double rate) {
    Map<String, Object> settings = Map.of("event_id", eventId, "admission_rate", rate, "burst", (int) Math.ceil(rate),
        "idle_timeout_sec", IDLE_TIMEOUT_SEC, "ready_grace_sec", READY_GRACE_SEC);
    try {
      HttpResponse<String> response = call("POST", "admin/settings", settings);
      if (response.statusCode() != 200) {
        out.println("Could not set the event's rate (" + response.statusCode() + "): running with its defaults.");
      }
    } catch (IOException e) {
      throw new IllegalStateException("the server at " + base + " does not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One browser: join, poll, enter (or give up, or vanish). Each run is one HTTP call. */
  private final class VirtualUser implements Runnable {
    private final String userId;
    private final long patienceMillis;
    private final boolean ghost;
    private String token;
    private long joinedAt;
    private int errorsInARow;

    VirtualUser(String userId, long patienceMillis, boolean ghost) {
      this.userId = userId;
      this.patienceMillis = patienceMillis;
      this.ghost = ghost;
    }

    @Override
    public void run() {
      try {
        step();
        errorsInARow = 0;
      } catch (IOException | RuntimeException e) {
        if (++errorsInARow >= MAX_ERRORS_IN_A_ROW) {
          finish(failed);
          return;
        }
        later();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void step() throws IOException, InterruptedException {
      if (token == null) {
        HttpResponse<String> joined = call("POST", "queue/join", Map.of("event_id", eventId, "user_id", userId));
        expect(joined, 202);
        token = JSON.readTree(joined.body()).path("waiting_token").asString();
        joinedAt = System.nanoTime();
        if (ghost) {
          // Gone without a word; it looks once more after the queue should have evicted it.
          scheduler.schedule(this, (IDLE_TIMEOUT_SEC + READY_GRACE_SEC) * 1000L, TimeUnit.MILLISECONDS);
        } else {
          later();
        }
        return;
      }
      if (ghost) {
        HttpResponse<String> status = call("GET", "queue/status?token=" + encode(token), null);
        if (status.statusCode() == 404) {
          finish(evicted);
        } else {
          finish(call("DELETE", "queue/leave?token=" + encode(token), null).statusCode() == 200 ? left : evicted);
        }
        return;
      }
      long waited = (System.nanoTime() - joinedAt) / 1_000_000;
      if (waited > patienceMillis || System.nanoTime() > deadlineNanos) {
        HttpResponse<String> gone = call("DELETE", "queue/leave?token=" + encode(token), null);
        finish(gone.statusCode() == 200 ? left : evicted);
        return;
      }
      HttpResponse<String> status = call("GET", "queue/status?token=" + encode(token), null);
      if (status.statusCode() == 404) {
        finish(evicted);
        return;
      }
      expect(status, 200);
      if (!JSON.readTree(status.body()).path("ready_for_entry").asBoolean()) {
        later();
        return;
      }
      HttpResponse<String> entered = call("POST", "queue/enter", Map.of("waiting_token", token));
      if (entered.statusCode() == 200) {
        waitMillis.add((System.nanoTime() - joinedAt) / 1_000_000);
        finish(admitted);
      } else if (entered.statusCode() == 404) {
        finish(evicted);
      } else {
        // 403: someone overtook the allowance between status and enter; poll again.
        later();
      }
    }

    private void later() {
      if (!scheduler.isShutdown()) {
        scheduler.schedule(this, POLL.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    private void finish(AtomicInteger outcome) {
      outcome.incrementAndGet();
      done.countDown();
    }
  }

  private HttpResponse<String> call(String method, String path, Map<String, ?> body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    // Needed by the admin call only; the queue calls ignore it.
    adminToken.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> response, int status) throws IOException {
    if (response.statusCode() != status) {
      throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
