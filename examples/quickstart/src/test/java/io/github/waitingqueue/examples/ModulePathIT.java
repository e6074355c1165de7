package io.github.waitingqueue.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The library's jars as a modular application sees them: {@code io.github.waitingqueue} and
 * {@code io.github.waitingqueue.redis} are exported, the internals are not.
 */
class ModulePathIT {
  private static final String MODULE = "module app { requires io.github.waitingqueue.redis; }";

  @Test
  void aModularApplicationUsesTheApi() throws IOException {
    String errors = compile("""
        package app;
        public class Main {
          public static void main(String[] args) {
            io.github.waitingqueue.QueueConfig config = io.github.waitingqueue.QueueConfig.builder()
                .signingKeys(io.github.waitingqueue.SigningKeys.developmentOnly()).build();
            io.github.waitingqueue.redis.RedisWaitingQueue.Builder b =
                io.github.waitingqueue.redis.RedisWaitingQueue.builder(new redis.clients.jedis.RedisClient.Builder().build());
          }
        }
        """);

    assertThat(errors).isEmpty();
  }

  @Test
  void theInternalsAreNotExported() throws IOException {
    String errors = compile("""
        package app;
        public class Main {
          Object tokens = new io.github.waitingqueue.internal.Tokens(null);
        }
        """);

    assertThat(errors).contains("package io.github.waitingqueue.internal is not visible");
  }

  private static String compile(String main) throws IOException {
    Path src = Files.createTempDirectory("modular-app");
    Files.writeString(src.resolve("module-info.java"), MODULE);
    Files.createDirectories(src.resolve("app"));
    Files.writeString(src.resolve("app/Main.java"), main);
    List<String> modulePath = new ArrayList<>(Arrays.asList(System.getProperty("library.jars").split(File.pathSeparator)));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.contains("jedis") || entry.contains("slf4j-api") || entry.contains("commons-pool2")
          || entry.contains("gson") || entry.contains("json")) {
        modulePath.add(entry);
      }
    }
    assertThat(modulePath.subList(0, 2)).allSatisfy(jar -> assertThat(Path.of(jar)).exists());
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter out = new StringWriter();
    javac.getTask(out, null, null, List.of("--module-path", String.join(File.pathSeparator, modulePath),
        "-d", Files.createTempDirectory("modular-out").toString()), null,
        javac.getStandardFileManager(null, null, null).getJavaFileObjects(
            src.resolve("module-info.java").toFile(), src.resolve("app/Main.java").toFile())).call();
    return out.toString().lines().filter(l -> l.contains("error")).collect(Collectors.joining("\n"));
  }
}
