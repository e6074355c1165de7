package io.github.waitingqueue.examples.server;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The browser pages, plain files from the jar: {@code /} (the waiting room) and {@code /operator} (the
 * operator's view); their CSS and JavaScript are under {@code /assets/} (Spring's static resources, see
 * {@code application.yml}). The checkout page is {@link CheckoutController}'s.
 */
@Controller
final class PagesController {
  static final String WEB = "io/github/waitingqueue/examples/server/web/";
  private static final MediaType HTML = MediaType.parseMediaType("text/html; charset=utf-8");

  @GetMapping("/")
  ResponseEntity<Resource> room() {
    return page("index.html");
  }

  @GetMapping("/operator")
  ResponseEntity<Resource> operator() {
    return page("operator.html");
  }

  /** A page, with headers that say it loads nothing from elsewhere and runs no inline script. */
  static ResponseEntity<Resource> page(String file) {
    return ResponseEntity.ok().contentType(HTML).cacheControl(CacheControl.noCache())
        .header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
        .body(new ClassPathResource(WEB + file));
  }
}
