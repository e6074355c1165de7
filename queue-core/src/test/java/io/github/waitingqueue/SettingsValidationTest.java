package io.github.waitingqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.waitingqueue.internal.Ticket;
import io.github.waitingqueue.internal.Tokens;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Builders validate each setting when it is set, and document their defaults. */
class SettingsValidationTest {

  @Test
  void eventSettingsDefaultsAreAsDocumented() {
    EventSettings d = EventSettings.defaults();

    assertThat(d.admissionRate()).isEqualTo(10);
    assertThat(d.burst()).isEqualTo(10);
    assertThat(d.capacity()).isEqualTo(EventSettings.UNLIMITED);
    assertThat(d.hasCapacityLimit()).isFalse();
    assertThat(d.reservationTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.inventory()).isEqualTo(EventSettings.UNLIMITED);
    assertThat(d.hasInventory()).isFalse();
    assertThat(d.perUserLimit()).isEqualTo(PerUserLimit.NONE);
  }

  @Test
  void aNegativeOrHugeInventoryAndANullPerUserLimitAreRejected() {
    EventSettings.Builder b = EventSettings.builder();
    assertThatThrownBy(() -> b.inventory(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inventory");
    assertThatThrownBy(() -> b.inventory(1_000_000_001)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.perUserLimit(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("perUserLimit");
    assertThat(b.build()).isEqualTo(EventSettings.defaults());
  }

  @Test
  void anEventHasNoLanesByDefault() {
    assertThat(EventSettings.defaults().lanes()).isEmpty();
  }

  @Test
  void lanesWithABadNameOrPriorityOrTooManyAreRejectedAndChangeNothing() {
    EventSettings.Builder b = EventSettings.builder().lane("fanclub", 2);
    assertThatThrownBy(() -> b.lane("fan club", 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lane");
    assertThatThrownBy(() -> b.lane("{x}", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.lane(null, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.lane("x", -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority");
    assertThatThrownBy(() -> b.lane("x", 8)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority");
    assertThatThrownBy(() -> b.lanes(null)).isInstanceOf(IllegalArgumentException.class);
    java.util.Map<String, Integer> many = new java.util.HashMap<>();
    for (int i = 0; i <= EventSettings.MAX_LANES; i++) {
      many.put("lane" + i, 1);
    }
    assertThatThrownBy(() -> b.lanes(many)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");

    assertThat(b.build().lanes()).containsExactly(java.util.Map.entry("fanclub", 2));
  }

  @Test
  void lanesAreListedHighestPriorityFirstAndCopiedByToBuilder() {
    EventSettings s = EventSettings.builder().lane("b", 1).lane("a", 1).lane("top", 7).build();

    assertThat(s.lanes().keySet()).containsExactly("top", "a", "b");
    assertThat(s.toBuilder().build()).isEqualTo(s);
  }

  @Test
  void eventSettingsRejectOutOfRangeValues() {
    EventSettings.Builder b = EventSettings.builder();
    assertThatThrownBy(() -> b.admissionRate(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("admissionRate");
    assertThatThrownBy(() -> b.admissionRate(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.admissionRate(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.burst(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("burst");
    assertThatThrownBy(() -> b.capacity(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    assertThatThrownBy(() -> b.reservationTtl(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.reservationTtl(Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.reservationTtl(Duration.ofDays(8))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.reservationTtl(Duration.ofNanos(1_000_000_001))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toBuilderCopiesEverySetting() {
    EventSettings s = EventSettings.builder().admissionRate(2.5).burst(7).capacity(3)
        .reservationTtl(Duration.ofSeconds(90)).build();

    assertThat(s.toBuilder().build()).isEqualTo(s).hasSameHashCodeAs(s);
  }

  @Test
  void aQueueConfigWithoutSigningKeysIsAConfigurationError() {
    assertThatThrownBy(() -> QueueConfig.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("signingKeys");
  }

  @Test
  void signingKeysRefuseShortSecretsAndBadIds() {
    assertThatThrownBy(() -> SigningKeys.ofText("k1", "short")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> SigningKeys.ofText("k1", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SigningKeys.ofText("bad id", "x".repeat(32))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SigningKeys.ofText("k".repeat(17), "x".repeat(32))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SigningKeys.builder().retired("old", new byte[32]).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SigningKeys.builder().current("a", new byte[32]).retired("a", new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDevelopmentKeysSayWhatTheyAre() {
    assertThat(SigningKeys.developmentOnly().isDevelopmentOnly()).isTrue();
    assertThat(SigningKeys.ofText("k1", "x".repeat(32)).isDevelopmentOnly()).isFalse();
  }

  @Test
  void aSigningKeysSecretIsCopiedOnTheWayIn() {
    byte[] secret = "a-secret-that-is-32-bytes-long!!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    SigningKeys keys = SigningKeys.of("k1", secret);
    String token = new Tokens(keys).waitingToken(new Ticket("e", "u", 1));

    java.util.Arrays.fill(secret, (byte) 0);

    assertThat(new Tokens(keys).readWaitingToken(token).userId()).isEqualTo("u");
  }
}
