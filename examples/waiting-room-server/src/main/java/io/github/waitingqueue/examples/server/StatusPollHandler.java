package io.github.waitingqueue.examples.server;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/queue/status}: the call every waiting page repeats until its turn, so by far the one
 * the service answers most (10,000 people polling every 1-15 s are 700-10,000 calls a second).
 *
 * <p>It is still Spring MVC (the filters, the {@code http.server.requests} timer, the interceptors and
 * {@link ApiErrors}' error bodies all apply) and still {@link QueueController#status}, but dispatched to
 * this {@link HttpRequestHandler} by an exact URL map consulted before every other mapping, instead of to an
 * annotated method. That skips the work an annotated method costs on every call (matching the request
 * against every {@code @RequestMapping} and Actuator's mappings, resolving each {@code @RequestParam},
 * choosing a message converter by content negotiation): a third of the service's Java time per poll,
 * about 15 of the 70 µs of CPU it cost in all (docs/BENCHMARKS.md). The answer is written by the
 * application's {@link JsonMapper}, so it is the same JSON, snake_case and all.
 */
final class StatusPollHandler implements HttpRequestHandler {
  static final String PATH = "/api/v1/queue/status";
  /** What Spring MVC answers an {@code OPTIONS} call with for a GET mapping. */
  private static final String ALLOW = "GET,HEAD,OPTIONS";

  private final QueueController controller;
  private final ObjectWriter writer;
  private final HandlerExceptionResolver errors;
  /** The controller method it answers for, so that Spring's exception resolvers treat it as one. */
  private final HandlerMethod statusMethod;

  StatusPollHandler(QueueController controller, JsonMapper json, HandlerExceptionResolver errors) {
    this.controller = controller;
    this.writer = json.writerFor(QueueController.StatusAnswer.class);
    this.errors = errors;
    try {
      this.statusMethod = new HandlerMethod(controller,
          QueueController.class.getDeclaredMethod("status", String.class, String.class));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void handleRequest(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    // the timer's uri tag, as an annotated mapping would set it
    ServerHttpObservationFilter.findObservationContext(request).ifPresent(c -> c.setPathPattern(PATH));
    try {
      answer(request, response);
    } catch (ServletException | RuntimeException e) {
      // Spring applies @ExceptionHandler advice to controller methods only: hand it the one this answers for,
      // and ApiErrors writes the contract's error body as it does for every other call.
      if (errors.resolveException(request, response, statusMethod, e) == null) {
        throw e;
      }
    }
  }

  private void answer(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
    switch (request.getMethod()) {
      case "GET", "HEAD" -> {
        QueueController.StatusAnswer answer =
            controller.status(request.getParameter("token"), request.getParameter("visibility"));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        writer.writeValue(response.getOutputStream(), answer);
      }
      case "OPTIONS" -> response.setHeader(HttpHeaders.ALLOW, ALLOW);
      // 405 with "Allow: GET" and the contract's error body, from ApiErrors
      default -> throw new HttpRequestMethodNotSupportedException(request.getMethod(), List.of("GET"));
    }
  }

  /** The exact URL map, ahead of the annotated mappings and Actuator's. */
  @Configuration(proxyBeanMethods = false)
  static class Mapping {
    @Bean
    SimpleUrlHandlerMapping statusPollMapping(QueueController controller, JsonMapper json,
        @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
      return new SimpleUrlHandlerMapping(Map.of(PATH, new StatusPollHandler(controller, json, errors)),
          Ordered.HIGHEST_PRECEDENCE);
    }
  }
}
