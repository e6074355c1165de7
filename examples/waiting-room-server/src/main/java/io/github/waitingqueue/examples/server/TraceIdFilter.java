package io.github.waitingqueue.examples.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every request shares: a trace id (the caller's {@code X-Request-Id} when it is sane, else a fresh
 * one), answered as {@code X-Trace-Id} and put in every error body; and for the API, a body of at most
 * 16 KB, read as JSON whatever its declared type (the origin's clients do not always send a Content-Type,
 * and {@code curl -d} sends a form's).
 */
final class TraceIdFilter extends OncePerRequestFilter {
  static final String ATTRIBUTE = TraceIdFilter.class.getName() + ".traceId";
  /** No request of this API is near this size; a bigger body is refused before it is read. */
  static final int MAX_BODY_BYTES = 16 * 1024;
  private static final Pattern CALLER_TRACE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final JsonMapper json;

  TraceIdFilter(JsonMapper json) {
    this.json = json;
  }

  static String traceId(HttpServletRequest request) {
    Object id = request.getAttribute(ATTRIBUTE);
    return id == null ? "-" : id.toString();
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String given = request.getHeader("X-Request-Id");
    String traceId = given != null && CALLER_TRACE_ID.matcher(given).matches() ? given
        : Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    request.setAttribute(ATTRIBUTE, traceId);
    response.setHeader("X-Trace-Id", traceId);
    // Every answer is what its Content-Type says: no browser guessing (pages, assets, JSON alike).
    response.setHeader("X-Content-Type-Options", "nosniff");
    if (!request.getRequestURI().startsWith("/api/")) {
      chain.doFilter(request, response);
      return;
    }
    response.setHeader("Cache-Control", "no-store");
    if (request.getContentLengthLong() > MAX_BODY_BYTES) {
      response.setStatus(HttpStatus.BAD_REQUEST.value());
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      json.writeValue(response.getOutputStream(), ApiErrors.body(request, "INVALID_REQUEST",
          "request body larger than " + MAX_BODY_BYTES + " bytes"));
      return;
    }
    String type = request.getContentType();
    // a GET (the status poll, mostly) has no body to read: no wrapper to make for it
    boolean readAsJson = !"GET".equals(request.getMethod()) && (type == null || !type.contains("json"));
    chain.doFilter(readAsJson ? new JsonByDefault(request) : request, response);
  }

  /** A request without a JSON Content-Type, read as JSON. */
  private static final class JsonByDefault extends HttpServletRequestWrapper {
    JsonByDefault(HttpServletRequest request) {
      super(request);
    }

    @Override
    public String getContentType() {
      return MediaType.APPLICATION_JSON_VALUE;
    }

    @Override
    public String getHeader(String name) {
      return "Content-Type".equalsIgnoreCase(name) ? MediaType.APPLICATION_JSON_VALUE : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return "Content-Type".equalsIgnoreCase(name)
          ? Collections.enumeration(List.of(MediaType.APPLICATION_JSON_VALUE))
          : super.getHeaders(name);
    }
  }
}
