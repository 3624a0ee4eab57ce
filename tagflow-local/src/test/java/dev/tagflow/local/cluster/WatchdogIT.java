package dev.tagflow.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.process.ComponentProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that started an attached cluster and registry ({@link AttachedClusterMain}) is killed, and
 * no program of them may be left running: killed with SIGKILL (no shutdown hook runs), with SIGTERM
 * while the cluster starts, with SIGTERM while it stops the cluster itself, and with SIGKILL after
 * it started kube-apiserver again under a new pid.
 */
class WatchdogIT {

  private static final List<String> PROGRAMS =
      List.of(
          "etcd",
          "kube-apiserver",
          "kube-controller-manager",
          "kube-scheduler",
          "kwok",
          "metrics-server",
          "docker-registry");

  @Test
  void aClusterAndRegistryAttachedToAJvmKilledWithSigkillLeaveNoProcessBehind(@TempDir Path state)
      throws Exception {
    Process jvm = attachedClusterJvm(state);
    try (BufferedReader out = output(jvm)) {
      awaitLine(out, "READY");
      List<ComponentProcess> components = LocalCluster.componentsIn(state);
      assertThat(components).extracting(ComponentProcess::name).containsAll(PROGRAMS);
      assertThat(components).allMatch(ComponentProcess::isAlive);

      jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs, only the watchdog can clean up.
      jvm.waitFor();

      awaitNoneAlive(components);
    } finally {
      jvm.destroyForcibly();
      LocalCluster.stop(state);
    }
  }

  @Test
  void aJvmKilledWithSigtermWhileItsClusterStartsLeavesNoProcessBehind(@TempDir Path state)
      throws Exception {
    Process jvm = attachedClusterJvm(state);
    try {
      // etcd and kube-apiserver run before the cluster is ready; the watchdog started earlier.
      Path apiserverPid = state.resolve("pids").resolve("kube-apiserver.pid");
      await().atMost(Duration.ofMinutes(2)).until(() -> hasPid(apiserverPid));
      List<ComponentProcess> components = LocalCluster.componentsIn(state);
      assertThat(components)
          .extracting(ComponentProcess::name)
          .contains("watchdog", "etcd", "kube-apiserver");

      jvm.destroy(); // SIGTERM
      jvm.waitFor();

      awaitNoneAlive(LocalCluster.componentsIn(state));
      assertThat(components).noneMatch(ComponentProcess::isAlive);
    } finally {
      jvm.destroyForcibly();
      LocalCluster.stop(state);
    }
  }

  @Test
  void aJvmKilledWithSigtermWhileItStopsItsClusterLeavesNoProcessBehind(@TempDir Path state)
      throws Exception {
    Process jvm = attachedClusterJvm(state);
    try (BufferedReader out = output(jvm);
        Writer in = jvm.outputWriter(StandardCharsets.UTF_8)) {
      awaitLine(out, "READY");
      List<ComponentProcess> components = LocalCluster.componentsIn(state);
      assertThat(components).extracting(ComponentProcess::name).containsAll(PROGRAMS);

      in.write("close\n");
      in.flush();
      awaitLine(out, "CLOSING");
      // Killed as soon as the first program has stopped: the rest are still to be stopped.
      await()
          .pollInterval(Duration.ofMillis(20))
          .atMost(Duration.ofMinutes(1))
          .until(() -> components.stream().anyMatch(c -> !c.isAlive()));
      assertThat(components).anyMatch(ComponentProcess::isAlive);
      jvm.destroy(); // SIGTERM
      jvm.waitFor();

      awaitNoneAlive(components);
    } finally {
      jvm.destroyForcibly();
      LocalCluster.stop(state);
    }
  }

  @Test
  void aProgramStartedAgainWithANewPidIsStoppedWhenTheJvmIsKilled(@TempDir Path state)
      throws Exception {
    Process jvm = attachedClusterJvm(state);
    try (BufferedReader out = output(jvm);
        Writer in = jvm.outputWriter(StandardCharsets.UTF_8)) {
      awaitLine(out, "READY");
      long before = apiserverPid(state);
      in.write("restart\n");
      in.flush();
      awaitLine(out, "RESTARTED");
      List<ComponentProcess> components = LocalCluster.componentsIn(state);
      assertThat(apiserverPid(state)).isNotEqualTo(before);
      assertThat(components).allMatch(ComponentProcess::isAlive);

      jvm.destroyForcibly();
      jvm.waitFor();

      awaitNoneAlive(components);
    } finally {
      jvm.destroyForcibly();
      LocalCluster.stop(state);
    }
  }

  private static long apiserverPid(Path state) {
    return LocalCluster.componentsIn(state).stream()
        .filter(c -> c.name().equals("kube-apiserver"))
        .findFirst()
        .orElseThrow()
        .pid();
  }

  private static Process attachedClusterJvm(Path state) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            AttachedClusterMain.class.getName(),
            state.toString())
        .redirectErrorStream(true)
        .start();
  }

  private static BufferedReader output(Process jvm) {
    return new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
  }

  private static void awaitLine(BufferedReader out, String marker) throws IOException {
    String line;
    do {
      line = out.readLine();
    } while (line != null && !line.contains(marker));
    assertThat(line).as("the child JVM printed " + marker).isNotNull();
  }

  private static boolean hasPid(Path pidFile) throws IOException {
    return Files.isRegularFile(pidFile) && Files.readString(pidFile).lines().count() >= 3;
  }

  private static void awaitNoneAlive(List<ComponentProcess> components) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(components).noneMatch(ComponentProcess::isAlive));
  }
}
