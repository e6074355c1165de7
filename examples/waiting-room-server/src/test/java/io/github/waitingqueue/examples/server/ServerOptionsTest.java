package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {
  @Test
  void defaultsArePort8080LocalRedisAndNoSecret() {
    ServerOptions options = ServerOptions.parse(new String[0], Map.of());
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.redisUrl()).isEqualTo("redis://localhost:6379");
    assertThat(options.secret()).isEmpty();
    assertThat(options.adminToken()).isEmpty();
    assertThat(options.simulateUsers()).isZero();
  }

  @Test
  void environmentVariablesConfigureTheServer() {
    ServerOptions options = ServerOptions.parse(new String[0],
        Map.of("PORT", "9090", "REDIS_URL", "redis://cache:6380", "QUEUE_SECRET", "s3cret", "ADMIN_TOKEN", "t"));
    assertThat(options.port()).isEqualTo(9090);
    assertThat(options.redisUrl()).isEqualTo("redis://cache:6380");
    assertThat(options.secret()).hasValue("s3cret");
    assertThat(options.adminToken()).hasValue("t");
  }

  @Test
  void flagsWinOverEnvironmentVariables() {
    ServerOptions options = ServerOptions.parse(
        new String[] {"--port", "7070", "--redis=redis://other:1", "--secret", "flag-secret"},
        Map.of("PORT", "9090", "REDIS_URL", "redis://cache:6380", "QUEUE_SECRET", "env-secret"));
    assertThat(options.port()).isEqualTo(7070);
    assertThat(options.redisUrl()).isEqualTo("redis://other:1");
    assertThat(options.secret()).hasValue("flag-secret");
  }

  @Test
  void simulateTakesAUserCountAndAnOptionalTarget() {
    ServerOptions options = ServerOptions.parse(new String[] {"--simulate", "500", "--target", "http://127.0.0.1:8080/"},
        Map.of());
    assertThat(options.simulateUsers()).isEqualTo(500);
    assertThat(options.target()).hasValue(URI.create("http://127.0.0.1:8080/"));
  }

  @Test
  void blankEnvironmentVariablesCountAsUnset() {
    ServerOptions options = ServerOptions.parse(new String[0], Map.of("PORT", " ", "QUEUE_SECRET", ""));
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.secret()).isEqualTo(Optional.empty());
  }

  @Test
  void unknownFlagIsRefusedWithTheUsage() {
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--verbose", "x"}, Map.of()))
        .hasMessageContaining("unknown option --verbose").hasMessageContaining("usage:");
  }

  @Test
  void flagWithoutValueIsRefused() {
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--port"}, Map.of())).hasMessageContaining("needs a value");
  }

  @Test
  void portOutOfRangeIsRefused() {
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--port", "70000"}, Map.of()))
        .hasMessageContaining("between 0 and 65535");
  }

  @Test
  void targetWithoutSimulateIsRefused() {
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--target", "http://127.0.0.1:1/"}, Map.of()))
        .hasMessageContaining("--simulate");
  }

  @Test
  void becomeSpringArgumentsWithDottedFlagsPassedAsTheyAre() {
    ServerOptions options = ServerOptions.parse(new String[] {"--port", "0", "--secret", "s3cret",
        "--waitingqueue.default-event.burst=50"}, Map.of("ADMIN_TOKEN", "t"));
    assertThat(options.springArguments()).containsExactly("--server.port=0",
        "--waitingqueue.redis.url=redis://localhost:6379", "--waitingqueue.signing.keys[0].id=k1",
        "--waitingqueue.signing.keys[0].secret=s3cret", "--waitingroom.admin-token=t",
        "--waitingqueue.default-event.burst=50");
  }
}
