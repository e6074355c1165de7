package io.github.waitingqueue.examples.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the browser pages from the jar: {@code /} (the waiting room), {@code /operator} (the operator's
 * view) and {@code /assets/*} (their CSS and JavaScript). Plain files, no build step.
 */
final class StaticPages implements HttpHandler {
  private static final String ROOT = "/io/github/waitingqueue/examples/server/web/";
  private static final Map<String, String> PAGES = Map.of("/", "index.html", "/operator", "operator.html");
  /** Only plain names: nothing can climb out of the web folder. */
  private static final Pattern ASSET = Pattern.compile("/assets/([a-z0-9-]+\\.(css|js|svg))");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "svg", "image/svg+xml");

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String file = PAGES.get(path);
      if (file == null) {
        var m = ASSET.matcher(path);
        file = m.matches() ? m.group(1) : null;
      }
      InputStream in = file == null ? null : StaticPages.class.getResourceAsStream(ROOT + file);
      if (in == null) {
        send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        in.close();
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "use GET\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] bytes;
      try (in) {
        bytes = in.readAllBytes();
      }
      // The pages load nothing from elsewhere and run no inline script: say so to the browser.
      exchange.getResponseHeaders().set("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      send(exchange, 200, TYPES.get(file.substring(file.lastIndexOf('.') + 1)), bytes);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
