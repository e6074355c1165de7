package io.github.waitingqueue.examples.server;

import com.sun.net.httpserver.HttpExchange;
import io.github.waitingqueue.InvalidInputException;
import io.github.waitingqueue.QueueUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One API request: its query, its JSON body, and the JSON answer with the error mapping of the REST contract. */
final class Http {
  private static final Logger LOG = LoggerFactory.getLogger(Http.class);
  /** No request of this API is near this size; a bigger body is refused before it is parsed. */
  private static final int MAX_BODY_BYTES = 16 * 1024;
  private static final Pattern CALLER_TRACE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** What a route does with a request: returns the answer, or throws {@link ApiException}. */
  @FunctionalInterface
  interface Handler {
    Answer handle(Http request) throws IOException;
  }

  /**
   * A successful answer.
   *
   * @param status the HTTP status
   * @param body the JSON body (a map)
   */
  record Answer(int status, Map<String, Object> body) {}

  final HttpExchange exchange;
  final String traceId;
  private Map<String, String> query;

  private Http(HttpExchange exchange) {
    this.exchange = exchange;
    // A caller's request id is kept so that its logs and ours can be joined; otherwise a fresh one.
    String given = exchange.getRequestHeaders().getFirst("X-Request-Id");
    this.traceId = given != null && CALLER_TRACE_ID.matcher(given).matches() ? given
        : Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }

  /**
   * Runs a handler and writes its answer, or the error body for whatever it threw.
   *
   * @param exchange the exchange, closed on return
   * @param handler the route
   */
  static void handle(HttpExchange exchange, Handler handler) {
    Http request = new Http(exchange);
    try (exchange) {
      Answer answer;
      try {
        answer = handler.handle(request);
      } catch (ApiException e) {
        answer = request.error(e.status, e.code, e.getMessage());
      } catch (InvalidInputException e) {
        // Bad ids and arguments: the library checked them before touching Redis and changed nothing.
        answer = request.error(400, "INVALID_REQUEST", e.getMessage());
      } catch (QueueUnavailableException e) {
        LOG.warn("[{}] queue backend unavailable: {}", request.traceId, e.getMessage());
        answer = request.error(503, "QUEUE_UNAVAILABLE", "the queue's backend is unavailable; try again shortly");
      } catch (RuntimeException e) {
        LOG.error("[{}] {} {} failed", request.traceId, exchange.getRequestMethod(), exchange.getRequestURI(), e);
        answer = request.error(500, "INTERNAL_ERROR", "unexpected server error");
      }
      request.send(answer);
    } catch (IOException e) {
      LOG.debug("[{}] client went away: {}", request.traceId, e.getMessage());
    }
  }

  /**
   * A query parameter, or null when absent or blank.
   *
   * @param name the parameter
   * @return its decoded value
   */
  String query(String name) {
    if (query == null) {
      query = new HashMap<>();
      String raw = exchange.getRequestURI().getRawQuery();
      if (raw != null) {
        for (String pair : raw.split("&")) {
          int eq = pair.indexOf('=');
          String key = decode(eq < 0 ? pair : pair.substring(0, eq));
          query.putIfAbsent(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
      }
    }
    String value = query.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * The body as a JSON object.
   *
   * @return its members
   * @throws ApiException 400 INVALID_REQUEST when it is not a JSON object or too large
   * @throws IOException when reading fails
   */
  Map<String, Object> jsonBody() throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw ApiException.badRequest("request body larger than " + MAX_BODY_BYTES + " bytes");
    }
    try {
      return Json.parseObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("request body must be a JSON object: " + e.getMessage());
    }
  }

  /**
   * A string member of a JSON body, or null when absent, null or blank.
   *
   * @param body the body
   * @param name the member
   * @return the value
   * @throws ApiException 400 INVALID_REQUEST when present but not a string
   */
  static String string(Map<String, Object> body, String name) {
    Object value = body.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String)) {
      throw ApiException.badRequest("\"" + name + "\" must be a string");
    }
    String s = (String) value;
    return s.isBlank() ? null : s;
  }

  /**
   * A JSON answer.
   *
   * @param status the HTTP status
   * @param keysAndValues alternating member names and values
   * @return the answer
   */
  static Answer answer(int status, Object... keysAndValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      body.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return new Answer(status, body);
  }

  private Answer error(int status, String code, String message) {
    return answer(status, "error", answer(0, "code", code, "message", message, "trace_id", traceId).body());
  }

  private void send(Answer answer) throws IOException {
    byte[] bytes = Json.write(answer.body()).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Trace-Id", traceId);
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      throw ApiException.badRequest("malformed query string");
    }
  }
}
