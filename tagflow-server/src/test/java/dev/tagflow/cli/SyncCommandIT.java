package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalClusterExtension.class)
class SyncCommandIT {

  @TempDir Path manifests;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void syncAppliesTheManifestsAndDiffThenFindsThemInSync(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws IOException {
    Files.writeString(
        manifests.resolve("settings.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {colour: blue}
        """);
    String[] target = {
      "--manifests", manifests.toString(),
      "--app", ns.name(),
      "-n", ns.name(),
      "--kubeconfig", cluster.kubeconfig().toString()
    };

    int synced = run(concat(new String[] {"sync", "--prune"}, target));
    String syncOutput = out.toString();
    int inSync = run(concat(new String[] {"diff"}, target));
    String diffOutput = out.toString();
    client
        .configMaps()
        .inNamespace(ns.name())
        .withName("settings")
        .edit(
            cm -> {
              cm.getData().put("colour", "red");
              return cm;
            });
    int drifted = run(concat(new String[] {"diff"}, target));

    assertThat(synced).as(err.toString()).isEqualTo(ExitCode.OK);
    assertThat(syncOutput)
        .containsPattern("ConfigMap/" + ns.name() + "/settings +created")
        .contains("succeeded: synced manifests: 1 created");
    assertThat(inSync).isEqualTo(ExitCode.OK);
    assertThat(diffOutput).contains("ConfigMap/" + ns.name() + "/settings: in sync");
    assertThat(drifted).isEqualTo(ExitCode.FAILED);
    assertThat(out.toString()).contains("-  colour: red").contains("+  colour: blue");
  }

  @Test
  void aDirectoryWithoutManifestsIsInvalidInput(LocalCluster cluster, TestNamespace ns) {
    int code =
        run(
            "sync",
            "--manifests",
            manifests.toString(),
            "--app",
            "web",
            "-n",
            ns.name(),
            "--kubeconfig",
            cluster.kubeconfig().toString());

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("no Kubernetes objects in " + manifests);
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
