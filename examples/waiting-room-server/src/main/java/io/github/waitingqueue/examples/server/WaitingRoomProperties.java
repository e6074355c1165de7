package io.github.waitingqueue.examples.server;

import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code waitingroom.*} properties: what this example service adds around the queue.
 *
 * @param adminToken bearer token the {@code /api/v1/admin/*} calls require; blank leaves them open
 * @param polling the pace the waiting page polls at
 * @param metricsMaxEvents how many events get their own {@code event} tag on the meters
 * @param inviteSecret the key invite codes to the presale lanes are signed with (32+ bytes); blank: a random
 *     key of this process, announced in one WARN line (see {@link InviteCodes})
 */
@ConfigurationProperties("waitingroom")
public record WaitingRoomProperties(String adminToken, @DefaultValue Polling polling,
    @DefaultValue("50") int metricsMaxEvents, String inviteSecret) {

  /** Checks the values; a bad one stops the application at start, naming the property. */
  public WaitingRoomProperties {
    if (polling.min().isNegative() || polling.min().isZero()) {
      throw new InvalidQueuePropertyException("waitingroom.polling.min", "must be positive, got " + polling.min());
    }
    if (polling.max().compareTo(polling.min()) < 0) {
      throw new InvalidQueuePropertyException("waitingroom.polling.max",
          "must be at least waitingroom.polling.min (" + polling.min() + "), got " + polling.max());
    }
    if (metricsMaxEvents < 0) {
      throw new InvalidQueuePropertyException("waitingroom.metrics-max-events", "must not be negative");
    }
  }

  /**
   * The polling pace (see {@link PollPacing}).
   *
   * @param min the pace near the head of the line
   * @param max the slowest pace, and a hidden tab's; keep it well under the events' idle timeout
   */
  public record Polling(@DefaultValue("1s") Duration min, @DefaultValue("15s") Duration max) {}

  /**
   * The admin token, if one is set.
   *
   * @return the token, or empty when the admin calls are open
   */
  public Optional<String> admin() {
    return Optional.ofNullable(adminToken).filter(t -> !t.isBlank());
  }
}
