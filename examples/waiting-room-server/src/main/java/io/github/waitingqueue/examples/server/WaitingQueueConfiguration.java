package io.github.waitingqueue.examples.server;

import io.github.waitingqueue.QueueConfig;
import io.github.waitingqueue.WaitingQueue;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import redis.clients.jedis.UnifiedJedis;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The waiting queue the way a Spring service embeds it: a {@link WaitingQueue} bean built from the
 * {@code waitingqueue.*} properties (or on the application's own {@link UnifiedJedis} bean when it has
 * one), its Micrometer meters, its Actuator health indicator, and the reservation guard in front of
 * {@code /checkout/**}. Copy this class and the property records into a service to get the same.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({WaitingQueueProperties.class, WaitingRoomProperties.class})
class WaitingQueueConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(WaitingQueueConfiguration.class);

  @Bean
  QueueMetrics queueMetrics(MeterRegistry registry, ObjectProvider<WaitingQueue> queue, WaitingRoomProperties room) {
    return new QueueMetrics(registry, queue::getObject, room.metricsMaxEvents());
  }

  /** Redis, or the in-memory queue when Redis does not answer and {@code fallback-to-memory} allows it. */
  @Bean(destroyMethod = "close")
  QueueBackend queueBackend(WaitingQueueProperties properties, QueueMetrics metrics,
      ObjectProvider<UnifiedJedis> applicationClient) {
    QueueConfig config = properties.queueConfig(metrics);
    if (config.signingKeys().isDevelopmentOnly()) {
      LOG.warn("QUEUE_SECRET is not set: using the library's DEVELOPMENT signing key (anyone can forge tokens; "
          + "set QUEUE_SECRET, or waitingqueue.signing.keys, to 32+ random bytes for real use).");
    }
    UnifiedJedis client = applicationClient.getIfAvailable();
    QueueBackend backend = client != null ? QueueBackend.on(client, properties.keyPrefix(), properties.lineMirror(), config)
        : QueueBackend.connect(properties.redis(), properties.keyPrefix(), properties.lineMirror(), config);
    if (!backend.onRedis()) {
      LOG.warn("No Redis answered at {} ({}): running on the IN-MEMORY queue (one process only, lost on exit).",
          properties.redis().url(), backend.redisFailure);
    }
    return backend;
  }

  /** The queue; {@link QueueBackend} closes it. */
  @Bean(destroyMethod = "")
  WaitingQueue waitingQueue(QueueBackend backend) {
    return backend.queue;
  }

  /** {@code /actuator/health}'s {@code waitingQueue} component. */
  @Bean
  WaitingQueueHealthIndicator waitingQueueHealthIndicator(QueueBackend backend) {
    return new WaitingQueueHealthIndicator(backend);
  }

  @Bean
  FilterRegistrationBean<TraceIdFilter> traceIdFilter(JsonMapper json) {
    FilterRegistrationBean<TraceIdFilter> registration = new FilterRegistrationBean<>(new TraceIdFilter(json));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /**
   * Strict JSON: a number where a string is expected (or the other way) is a 400, not silently converted;
   * the origin's clients were held to that.
   */
  @Bean
  JsonMapperBuilderCustomizer strictJsonTypes() {
    return builder -> builder.withCoercionConfig(LogicalType.Textual, c -> c
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }

  @Bean
  ReservationGuard reservationGuard(WaitingQueue queue, QueueMetrics metrics, JsonMapper json) {
    return new ReservationGuard(queue, metrics, json);
  }

  /** The guarded route: {@code /checkout/{eventId}/**} needs a reservation of that event. */
  @Bean
  WebMvcConfigurer guardCheckout(ReservationGuard guard) {
    return new WebMvcConfigurer() {
      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(guard).addPathPatterns("/checkout/*", "/checkout/*/**");
      }
    };
  }
}
