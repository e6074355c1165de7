package io.github.waitingqueue.examples.server;

import io.github.waitingqueue.Reservation;
import io.github.waitingqueue.WaitingQueue;
import java.time.Duration;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A sample of the route a service protects with its waiting room: the checkout of an event. Every request
 * here has passed {@link ReservationGuard}, so it carries a verified reservation of that event.
 */
@RestController
@RequestMapping("/checkout/{eventId}")
final class CheckoutController {
  private final WaitingQueue queue;
  private final QueueMetrics metrics;

  CheckoutController(WaitingQueue queue, QueueMetrics metrics) {
    this.queue = queue;
    this.metrics = metrics;
  }

  /** What the checkout page shows. */
  record Order(String eventId, String userId, long ttlSec) {}

  /** The checkout page. */
  @GetMapping
  ResponseEntity<Resource> page(@PathVariable("eventId") String eventId) {
    return PagesController.page("checkout.html");
  }

  /** The reservation behind this checkout, for the page. */
  @GetMapping("/order")
  Order order(@RequestAttribute(ReservationGuard.RESERVATION) Reservation reservation) {
    return new Order(reservation.eventId(), reservation.userId(), QueueController.secondsUntil(reservation.expiresAt()));
  }

  /** Buys: completes the reservation, which frees its slot for the next in line, and drops the cookie. */
  @PostMapping("/complete")
  ResponseEntity<QueueController.StatusWord> complete(@RequestAttribute(ReservationGuard.TOKEN) String token) {
    boolean completed = metrics.time("complete", () -> queue.complete(token));
    if (!completed) {
      throw ApiException.reservationNotFound();
    }
    return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE,
        ReservationGuard.cookie("", Duration.ZERO, false).toString())
        .body(new QueueController.StatusWord("completed"));
  }
}
