package io.github.waitingqueue.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's quick start is this module's program, character for character, so it compiles and runs. */
class QuickStartInReadmeTest {
  @Test
  void theReadmeShowsTheQuickStartExactly() throws IOException {
    String readme = Files.readString(Path.of("../../README.md"));
    String program = Files.readString(Path.of("src/main/java/io/github/waitingqueue/examples/QuickStart.java"));

    assertThat(readme).contains("```java\n" + program + "```");
  }
}
