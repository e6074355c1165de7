package io.github.waitingqueue.examples.server;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's settings, from flags first and environment variables second.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>flag</th><th>environment</th><th>default</th></tr>
 *   <tr><td>{@code --port}</td><td>{@code PORT}</td><td>8080 (0 picks a free port)</td></tr>
 *   <tr><td>{@code --redis}</td><td>{@code REDIS_URL}</td><td>{@code redis://localhost:6379}</td></tr>
 *   <tr><td>{@code --secret}</td><td>{@code QUEUE_SECRET}</td><td>none: the library's development key</td></tr>
 *   <tr><td>{@code --admin-token}</td><td>{@code ADMIN_TOKEN}</td><td>none: admin calls are open</td></tr>
 *   <tr><td>{@code --simulate N}</td><td></td><td>off: serve until stopped</td></tr>
 *   <tr><td>{@code --target URL}</td><td></td><td>with {@code --simulate}: drive that server instead of starting one</td></tr>
 *   <tr><td>{@code --name.of.property=VALUE}</td><td>Spring's own</td><td>any Spring property, such as
 *       {@code --waitingqueue.default-event.burst=50}</td></tr>
 * </table>
 *
 * <p>They become Spring properties ({@link #springArguments()}), which win over {@code application.yml}.
 *
 * @param port TCP port on all interfaces; 0 for a free one
 * @param redisUrl where Redis is expected
 * @param secret token signing secret, or empty for the development key
 * @param adminToken bearer token the admin API requires, or empty for none
 * @param simulateUsers virtual users to send through the queue, 0 for none
 * @param target the server the simulation drives, or empty for the one this process starts
 * @param help whether {@code --help} was asked
 * @param springProperties {@code --name.of.property=value} flags, passed to Spring as they are
 */
public record ServerOptions(int port, String redisUrl, Optional<String> secret, Optional<String> adminToken,
    int simulateUsers, Optional<URI> target, boolean help, List<String> springProperties) {

  /** What {@code --help} prints. */
  public static final String USAGE = String.join("\n",
      "usage: java -jar waiting-room-server.jar [options]",
      "  --port N          HTTP port (env PORT, default 8080; 0 = any free port)",
      "  --redis URL       Redis URL (env REDIS_URL, default redis://localhost:6379);",
      "                    when no Redis answers, the server runs on the in-memory queue",
      "  --secret TEXT     token signing secret, 32+ bytes (env QUEUE_SECRET; default: development key)",
      "  --admin-token T   require 'Authorization: Bearer T' on /api/v1/admin/* (env ADMIN_TOKEN)",
      "  --simulate N      send N virtual users through the queue over HTTP, print a summary, exit",
      "  --target URL      with --simulate: drive an already running server instead of starting one",
      "  --a.spring.property=VALUE   any Spring property, e.g. --waitingqueue.default-event.burst=50",
      "  --help            print this");

  /**
   * Reads flags, falling back to environment variables.
   *
   * @param args command-line arguments
   * @param env environment variables
   * @return the options
   * @throws IllegalArgumentException for an unknown flag, a missing value or a malformed number
   */
  public static ServerOptions parse(String[] args, Map<String, String> env) {
    String port = env.get("PORT");
    String redis = env.get("REDIS_URL");
    String secret = env.get("QUEUE_SECRET");
    String admin = env.get("ADMIN_TOKEN");
    String simulate = null;
    String target = null;
    boolean help = false;
    List<String> springProperties = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String inline = null;
      int eq = flag.indexOf('=');
      if (flag.startsWith("--") && eq > 0) {
        inline = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      }
      if (inline != null && flag.indexOf('.') > 0) {
        springProperties.add(args[i]);
        continue;
      }
      if (flag.equals("--help") || flag.equals("-h")) {
        help = true;
        continue;
      }
      String value = inline;
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        value = args[++i];
      }
      switch (flag) {
        case "--port": port = value; break;
        case "--redis": redis = value; break;
        case "--secret": secret = value; break;
        case "--admin-token": admin = value; break;
        case "--simulate": simulate = value; break;
        case "--target": target = value; break;
        default: throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
      }
    }
    int portNumber = number("port", port, 8080, 0, 65535);
    int users = number("--simulate", simulate, 0, 1, 1_000_000);
    if (target != null && users == 0) {
      throw new IllegalArgumentException("--target is only used with --simulate N");
    }
    return new ServerOptions(portNumber, blankToNull(redis) == null ? "redis://localhost:6379" : redis.trim(),
        Optional.ofNullable(blankToNull(secret)), Optional.ofNullable(blankToNull(admin)), users,
        Optional.ofNullable(blankToNull(target)).map(URI::create), help, List.copyOf(springProperties));
  }

  /**
   * The options as Spring arguments: the port, the Redis URL, the secret as the signing key {@code k1},
   * the admin token, and the {@code --name.of.property=value} flags as given (last, so they win).
   *
   * @return arguments for {@code SpringApplication.run}
   */
  public List<String> springArguments() {
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + port);
    args.add("--waitingqueue.redis.url=" + redisUrl);
    secret.ifPresent(s -> {
      args.add("--waitingqueue.signing.keys[0].id=k1");
      args.add("--waitingqueue.signing.keys[0].secret=" + s);
    });
    adminToken.ifPresent(t -> args.add("--waitingroom.admin-token=" + t));
    args.addAll(springProperties);
    return args;
  }

  private static int number(String name, String value, int fallback, int min, int max) {
    if (blankToNull(value) == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
