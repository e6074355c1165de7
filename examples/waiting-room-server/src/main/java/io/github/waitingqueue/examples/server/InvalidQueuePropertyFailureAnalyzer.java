package io.github.waitingqueue.examples.server;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidQueuePropertyException} at startup into Spring Boot's short "APPLICATION FAILED TO
 * START" report, naming the property, instead of a stack trace. Registered in
 * {@code META-INF/spring.factories}.
 */
public final class InvalidQueuePropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidQueuePropertyException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidQueuePropertyException cause) {
    return new FailureAnalysis("Invalid waiting-queue property " + cause.getMessage(),
        "Fix " + cause.property() + " in application.yml, or the flag or environment variable that sets it "
        + "(see --help).", cause);
  }
}
