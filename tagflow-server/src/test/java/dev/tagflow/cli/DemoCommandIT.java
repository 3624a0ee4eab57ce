package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.demo.DemoSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tagflow demo} as a person runs it, interrupted with Ctrl-C (SIGINT) while the release
 * workflow of v1.0.0 runs: every process it started (cluster, registry, server, watchdogs, the
 * run's steps) is gone afterwards. The whole flow is checked step by step by TagToProductionIT.
 */
class DemoCommandIT {

  // Kept when the test fails: the demo's output and the server's log are in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private Process demo;

  @AfterEach
  void stop() {
    if (demo != null && demo.isAlive()) {
      demo.destroyForcibly();
    }
    new DemoSetup(temp.resolve("data"), "demo-it").clean();
  }

  @Test
  void ctrlCInTheMiddleOfTheDemoLeavesNoProcessOfItBehind() throws Exception {
    Path out = temp.resolve("demo.out");
    Path err = temp.resolve("demo.err");
    Path data = temp.resolve("data");
    demo =
        TagflowProcess.of(
                List.of("demo", "--name", "demo-it", "--data-dir", data.toString()), out, err)
            .start();
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Files.readString(out).contains("│ test#1") || !demo.isAlive());
    assertThat(demo.isAlive()).as(Files.readString(out) + Files.readString(err)).isTrue();
    DemoSetup setup = new DemoSetup(data, "demo-it");
    List<ProcessHandle> started =
        setup.running().stream().flatMap(p -> p.handle().stream()).toList();
    assertThat(started)
        .hasSizeGreaterThanOrEqualTo(8); // control plane, registry, server, watchdogs
    List<ProcessHandle> all =
        started.stream()
            .flatMap(
                p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
            .toList();

    new ProcessBuilder("kill", "-INT", "" + demo.pid()).start().waitFor();

    assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as(Files.readString(out)).isTrue();
    assertThat(Files.readString(out)).contains("Stopping the demo's processes");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(all).noneMatch(ProcessHandle::isAlive));
    assertThat(setup.running()).isEmpty();
  }
}
