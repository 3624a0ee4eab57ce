package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.process.ComponentProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCommandIT {

  @TempDir Path data;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stopWhateverIsLeft() {
    LocalCluster.stop(data.resolve("clusters/it"));
  }

  @Test
  void upStartsADetachedClusterAndDownLeavesNoControlPlaneProcessRunning() throws Exception {
    assertThat(run("cluster", "up", "--name", "it")).isEqualTo(ExitCode.OK);
    Path state = data.resolve("clusters/it");
    List<ComponentProcess> components = LocalCluster.componentsIn(state);
    assertThat(components)
        .extracting(ComponentProcess::name)
        .containsExactly(
            "etcd",
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
            "kwok",
            "metrics-server");
    assertThat(components).allMatch(ComponentProcess::isAlive);
    assertThat(out.toString()).contains("kubeconfig: " + state.resolve("kubeconfig"));

    assertThat(run("cluster", "up", "--name", "it")).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("cluster 'it' is running already");

    assertThat(run("cluster", "status", "--name", "it")).isEqualTo(ExitCode.OK);
    assertThat(out.toString())
        .containsPattern("kube-apiserver +\\d+ +running")
        .containsPattern("metrics-server +\\d+ +running")
        .contains("(ready)")
        .contains("metrics API: metrics.k8s.io available");

    assertThat(run("cluster", "kubeconfig", "--name", "it")).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("client-certificate-data:", "current-context: it");

    assertThat(run("cluster", "down", "--name", "it")).isEqualTo(ExitCode.OK);
    for (ComponentProcess component : components) {
      assertThat(ProcessHandle.of(component.pid()).filter(ProcessHandle::isAlive))
          .as("pid %d of %s after down", component.pid(), component.name())
          .isEmpty();
      assertThat(out.toString()).contains("stopped " + component.name());
    }
    assertThat(Files.exists(state)).isFalse();
    assertThat(run("cluster", "status", "--name", "it")).isEqualTo(ExitCode.FAILED);
  }

  private int run(String... args) {
    String[] withData = new String[args.length + 2];
    System.arraycopy(args, 0, withData, 0, args.length);
    withData[args.length] = "--data-dir";
    withData[args.length + 1] = data.toString();
    return Main.run(withData, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
