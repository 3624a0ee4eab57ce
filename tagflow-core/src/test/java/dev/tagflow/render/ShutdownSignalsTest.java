package dev.tagflow.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShutdownSignalsTest {

  @TempDir Path root;

  @Test
  void aJvmThatRenderedAChartStillStopsOnSigtermAndRunsItsShutdownHooks() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path output = root.resolve("output.txt");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                RenderThenWait.class.getName(),
                root.resolve("work").toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(output).contains("rendered 3") || !child.isAlive());
      assertThat(Files.readString(output)).contains("rendered 3");

      child.destroy(); // SIGTERM

      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the JVM ended after SIGTERM").isTrue();
      assertThat(child.exitValue()).isEqualTo(143);
      assertThat(Files.readString(output)).contains("shutdown hook ran");
    } finally {
      child.destroyForcibly();
    }
  }
}
