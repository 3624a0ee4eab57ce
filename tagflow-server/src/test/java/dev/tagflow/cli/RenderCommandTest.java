package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {

  @TempDir Path data;
  @TempDir Path work;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void makeRepository() throws Exception {
    write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
    write("chart/values.yaml", "replicas: 1\n");
    write(
        "chart/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n"
            + "  replicas: {{ .Values.replicas | quote }}\n"
            + "  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n");
    write("envs/prod/values.yaml", "replicas: 3\n");
    write("plain/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
    write("plain/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n");
    write("broken/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x}\n");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      PersonIdent me = new PersonIdent("Test", "test@tagflow.dev");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("chart and files").setAuthor(me).setCommitter(me).call();
    }
  }

  @Test
  void printsAChartAsYamlWithTheGivenKubernetesVersion() {
    int code =
        run(
            "render",
            "--repo",
            work.toString(),
            "--path",
            "chart",
            "--kube-version",
            "v1.31.4",
            "-n",
            "shop");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("# Source: chart/templates/cm.yaml (document 1)")
        .contains("name: chart")
        .contains("namespace: shop")
        .contains("kube: v1.31.4");
  }

  @Test
  void layersValuesFilesOfAnEnvironmentOverAChartElsewhereAndPrintsJson() {
    int code =
        run(
            "render",
            "--repo",
            work.toString(),
            "--path",
            "envs/prod",
            "--chart-path",
            "chart",
            "--helm-values",
            "values.yaml",
            "--name",
            "web-prod",
            "--kube-version",
            "v1.37.2",
            "-o",
            "json");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("\"file\" : \"chart/templates/cm.yaml\"")
        .contains("\"name\" : \"web-prod\"")
        .contains("\"replicas\" : \"3\"");
  }

  @Test
  void printsPlainFilesWithNamespacesOnlyOnNamespacedKinds() {
    assertThat(
            run(
                "render",
                "--repo",
                work.toString(),
                "--path",
                "plain",
                "-n",
                "shop",
                "--kube-version",
                "v1.37.2"))
        .isZero();

    assertThat(out.toString())
        .contains("name: settings\n  namespace: shop")
        .contains("name: shop\n");
  }

  @Test
  void failsWithOneLineNamingFileLineAndColumn() {
    assertThat(
            run(
                "render",
                "--repo",
                work.toString(),
                "--path",
                "broken",
                "--kube-version",
                "v1.37.2"))
        .isEqualTo(2);

    assertThat(err.toString().strip())
        .startsWith("tagflow: broken/cm.yaml:3:20: invalid YAML")
        .doesNotContain("\n");
  }

  @Test
  void rendersTheApplicationsOfAFileAndReportsTheOneThatFails() throws Exception {
    Path file = data.resolve("apps.yaml");
    Files.writeString(
        file,
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: web-prod}
        spec:
          source:
            repoURL: %1$s
            targetRevision: main
            path: envs/prod
            helm: {chart: {path: chart}, valueFiles: [values.yaml]}
          destination: {cluster: local, namespace: web-prod}
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: broken}
        spec:
          source: {repoURL: %1$s, targetRevision: main, path: broken}
          destination: {server: https://kubernetes.default.svc, namespace: shop}
        ---
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: plain}
        spec:
          source: {repoURL: %1$s, targetRevision: main, path: plain}
          destination: {cluster: local, namespace: shop}
        """
            .formatted(work));

    int code = run("render", file.toString(), "--kube-version", "v1.37.2");

    assertThat(code).isEqualTo(1);
    assertThat(out.toString())
        .contains("name: web-prod\n  namespace: web-prod")
        .contains("replicas: \"3\"")
        .contains("name: settings\n  namespace: shop");
    assertThat(err.toString().strip())
        .startsWith("tagflow: broken: broken/cm.yaml:3:20: invalid YAML")
        .doesNotContain("\n");
  }

  @Test
  void withoutKubeVersionNeedsAKubeconfigToReadTheDestinationFrom() {
    Path missing = data.resolve("no-such-kubeconfig");

    int code =
        run(
            "render",
            "--repo",
            work.toString(),
            "--path",
            "plain",
            "--kubeconfig",
            missing.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "tagflow: no kubeconfig at "
                + missing
                + " to read the destination's Kubernetes version and kinds from; give"
                + " --kubeconfig, or --kube-version to render offline");
  }

  @Test
  void refusesBothAFileAndRepositoryFlags() {
    assertThat(run("render", "apps.yaml", "--repo", work.toString())).isEqualTo(2);

    assertThat(err.toString())
        .contains("give either an Application file (tagflow render app.yaml) or --repo and --path");
  }

  private int run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = data.toString();
    return Main.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private void write(String path, String content) throws Exception {
    Path file = work.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
