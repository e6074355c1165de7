package io.github.waitingqueue.examples.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the REST API, as the origin gateway's clients would call it. */
final class ApiClient {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  /** A reply: status, parsed JSON body (empty map for none) and raw response. */
  record Reply(int status, Map<String, Object> body, HttpResponse<String> raw) {
    @SuppressWarnings("unchecked")
    Map<String, Object> error() {
      return (Map<String, Object>) body.get("error");
    }

    String errorCode() {
      return error() == null ? null : (String) error().get("code");
    }

    long number(String field) {
      return ((Number) body.get(field)).longValue();
    }

    String string(String field) {
      return (String) body.get(field);
    }
  }

  /** A JSON object. */
  static Map<String, Object> object(String json) {
    return JSON.readValue(json, MAP);
  }

  /** A member of a JSON object that is itself an object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> member(Map<String, Object> object, String name) {
    return (Map<String, Object>) object.get(name);
  }

  ApiClient(URI serverUrl) {
    this.base = serverUrl.resolve("/api/v1/");
  }

  Reply join(String eventId, String userId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event_id", eventId);
    body.put("user_id", userId);
    return send("POST", "queue/join", JSON.writeValueAsString(body));
  }

  String tokenOf(String eventId, String userId) {
    Reply joined = join(eventId, userId);
    if (joined.status() != 202) {
      throw new AssertionError("join failed: " + joined.raw().body());
    }
    return joined.string("waiting_token");
  }

  Reply status(String token) {
    return send("GET", "queue/status?token=" + encode(token), null);
  }

  Reply enter(String token) {
    return send("POST", "queue/enter", JSON.writeValueAsString(Map.of("waiting_token", token)));
  }

  Reply leave(String token) {
    return send("DELETE", "queue/leave?token=" + encode(token), null);
  }

  Reply reservation(String reservationToken) {
    return send("GET", "reservation?token=" + encode(reservationToken), null);
  }

  Reply endReservation(String how, String reservationToken) {
    return send("POST", "reservation/" + how, JSON.writeValueAsString(Map.of("reservation_token", reservationToken)));
  }

  Reply stats(String eventId) {
    return send("GET", "queue/stats?event_id=" + encode(eventId), null);
  }

  Reply settings(String eventId, Map<String, Object> settings) {
    Map<String, Object> body = new LinkedHashMap<>(settings);
    body.put("event_id", eventId);
    return send("POST", "admin/settings", JSON.writeValueAsString(body));
  }

  long position(String token) {
    Reply status = status(token);
    if (status.status() != 200) {
      throw new AssertionError("status failed: " + status.raw().body());
    }
    return status.number("position");
  }

  Reply send(String method, String path, String body) {
    return send(method, path, body, Map.of());
  }

  Reply send(String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Map<String, Object> json = response.body().isEmpty() ? Map.of() : JSON.readValue(response.body(), MAP);
      return new Reply(response.statusCode(), json, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
