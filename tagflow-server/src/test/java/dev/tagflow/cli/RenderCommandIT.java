package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalClusterExtension.class)
class RenderCommandIT {

  @TempDir Path data;
  @TempDir Path work;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void withoutKubeVersionChartsSeeTheDestinationClustersVersionAndKinds(
      LocalCluster cluster, KubernetesClient client) throws Exception {
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName("backups.render-it.tagflow.dev")
            .endMetadata()
            .withNewSpec()
            .withGroup("render-it.tagflow.dev")
            .withScope("Cluster")
            .withNewNames()
            .withKind("Backup")
            .withPlural("backups")
            .withSingular("backup")
            .endNames()
            .addNewVersion()
            .withName("v1")
            .withServed(true)
            .withStorage(true)
            .withNewSchema()
            .withNewOpenAPIV3Schema()
            .withType("object")
            .withXKubernetesPreserveUnknownFields(true)
            .endOpenAPIV3Schema()
            .endSchema()
            .endVersion()
            .endSpec()
            .build();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c != null
                    && c.getStatus() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            k -> k.getType().equals("Established") && k.getStatus().equals("True")),
            30,
            TimeUnit.SECONDS);
    write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
    write(
        "chart/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: info\ndata:\n"
            + "  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n");
    write(
        "chart/templates/backup.yaml",
        "apiVersion: render-it.tagflow.dev/v1\nkind: Backup\nmetadata:\n  name: nightly\n");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      PersonIdent me = new PersonIdent("Test", "test@tagflow.dev");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("chart").setAuthor(me).setCommitter(me).call();
    }

    int code =
        Main.run(
            new String[] {
              "render",
              "--repo",
              work.toString(),
              "--path",
              "chart",
              "-n",
              "shop",
              "--kubeconfig",
              cluster.kubeconfig().toString(),
              "--data-dir",
              data.toString()
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("kube: v1.37.2")
        .contains("name: info\n  namespace: shop")
        // The cluster says Backup is cluster-scoped, so it gets no namespace.
        .containsPattern("kind: Backup\nmetadata:\n  name: nightly\n(?!  namespace)");
  }

  private void write(String path, String content) throws Exception {
    Path file = work.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
