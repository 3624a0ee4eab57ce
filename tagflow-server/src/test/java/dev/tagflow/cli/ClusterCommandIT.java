package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.process.ComponentProcess;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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

  /** The user's kubeconfig, with a context of their own that must outlive the local cluster. */
  private static final String USERS_KUBECONFIG =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: prod   # keep me
        cluster: {server: "https://prod.example.com"}
      users:
      - name: me
        user: {token: secret}
      contexts:
      - name: prod
        context: {cluster: prod, user: me}
      current-context: prod
      """;

  @Test
  void upStartsADetachedClusterAndDownLeavesNoControlPlaneProcessRunning() throws Exception {
    Path users = Files.writeString(data.resolve("users-kubeconfig"), USERS_KUBECONFIG);
    assertThat(run("cluster", "up", "--name", "it", "--kubeconfig", users.toString()))
        .isEqualTo(ExitCode.OK);
    assertThat(out.toString())
        .contains("context:    tagflow-it added to " + users + " and made current");
    // kubectl reaches the cluster through the user's kubeconfig alone.
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(users)))
            .build()) {
      assertThat(client.getConfiguration().getCurrentContext().getName()).isEqualTo("tagflow-it");
      assertThat(client.namespaces().withName("default").get()).isNotNull();
    }
    assertThat(Files.readString(users)).contains("- name: prod   # keep me\n");
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

    assertThat(run("cluster", "up", "--name", "it", "--no-kubeconfig-update"))
        .isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("cluster 'it' is running already");

    assertThat(run("cluster", "status", "--name", "it")).isEqualTo(ExitCode.OK);
    assertThat(out.toString())
        .containsPattern("kube-apiserver +\\d+ +running")
        .containsPattern("metrics-server +\\d+ +running")
        .contains("(ready)")
        .contains("metrics API: metrics.k8s.io available");

    assertThat(run("cluster", "kubeconfig", "--name", "it")).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("client-certificate-data:", "current-context: it");

    assertThat(run("cluster", "down", "--name", "it", "--kubeconfig", users.toString()))
        .isEqualTo(ExitCode.OK);
    // The user's file is as it was: their context current again, every byte in place.
    assertThat(Files.readString(users)).isEqualTo(USERS_KUBECONFIG);
    assertThat(out.toString()).contains("context tagflow-it removed from " + users);
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
