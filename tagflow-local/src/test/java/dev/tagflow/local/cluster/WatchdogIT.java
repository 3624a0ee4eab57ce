package dev.tagflow.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.process.ComponentProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogIT {

  @Test
  void aClusterAndRegistryAttachedToAJvmKilledWithSigkillLeaveNoProcessBehind(@TempDir Path state)
      throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process jvm =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AttachedClusterMain.class.getName(),
                state.toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.contains("READY"));
      assertThat(line).as("the child JVM started its cluster").isNotNull();

      List<ComponentProcess> components = LocalCluster.componentsIn(state);
      assertThat(components)
          .extracting(ComponentProcess::name)
          .contains(
              "etcd",
              "kube-apiserver",
              "kube-controller-manager",
              "kube-scheduler",
              "kwok",
              "metrics-server",
              "docker-registry");
      assertThat(components).allMatch(ComponentProcess::isAlive);

      jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs, only the watchdog can clean up.
      jvm.waitFor();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(components).noneMatch(ComponentProcess::isAlive));
    } finally {
      jvm.destroyForcibly();
      LocalCluster.stop(state);
    }
  }
}
