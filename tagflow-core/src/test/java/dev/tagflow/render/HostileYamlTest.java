package dev.tagflow.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.app.SourceType;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.health.HealthRuleReader;
import dev.tagflow.source.RepoRegistry;
import dev.tagflow.source.Revision;
import dev.tagflow.yaml.Bombs;
import dev.tagflow.yaml.YamlLimits;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of hostile YAML (issue 8, defect 4) on every entry point that reads YAML a user or a
 * repository feeds: each is refused at once, naming the file and the limit, and aliases render as
 * the values they stand for.
 */
class HostileYamlTest {

  /** Only a guard against a hang: each attack fails at once, but a regression must not stall. */
  static final Duration HANG_GUARD = Duration.ofSeconds(10);

  static final String BOMB = Bombs.chainedLists(30, "  ");
  static final String LIMIT = "more than 1,000,000 nodes";

  @TempDir Path root;
  GitFixture repo;

  @BeforeEach
  void repository() {
    repo = new GitFixture(root, Optional.empty());
  }

  @AfterEach
  void close() {
    repo.close();
  }

  static void refusedAtOnce(Executable attack, String file, String limit) {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () ->
            assertThatThrownBy(attack::execute)
                .isInstanceOf(TagflowException.class)
                .hasMessageContaining(file)
                .hasMessageContaining(limit));
  }

  static String application(String values) {
    return """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: web}
        spec:
          source:
            repoURL: https://example.com/env.git
            path: web
            helm:
              values:
        %s  destination: {cluster: local, namespace: web}
        """
        .formatted(values);
  }

  List<Manifest> renderDirectory(String path, Revision revision) {
    return repo.render(
        new RenderSource("web", repo.url(), path, "main", SourceKind.Directory.plain()),
        revision,
        DirectoryRenderTest.TARGET);
  }

  // --- Application files

  @Test
  void theApplicationLoaderRefusesABillionLaughsInHelmValues(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("app.yaml"), application(indent(BOMB, "      ")));

    refusedAtOnce(() -> new ApplicationLoader().load(file), file + ":", LIMIT);
  }

  @Test
  void theApplicationLoaderRefusesAHundredMegabyteFileByItsSize(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("app.yaml");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(100L * 1024 * 1024);
    }

    assertThatThrownBy(() -> new ApplicationLoader().load(file))
        .isInstanceOf(TagflowException.class)
        .hasMessage(
            file
                + " is 104,857,600 bytes, more than the 10 MiB Tagflow reads from one YAML file;"
                + " split it into smaller files");
  }

  @Test
  void theApplicationLoaderRefusesABombInArgoCdValuesTextNamingTheLineOfTheFile() {
    String argo =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: web}
        spec:
          source:
            repoURL: https://example.com/charts.git
            path: web
            helm:
              values: |
        %s  destination: {server: https://kubernetes.default.svc}
        """
            .formatted(indent(Bombs.chainedMappings(30, ""), "        "));

    refusedAtOnce(() -> new ApplicationLoader().load("argo.yaml", argo), "the alias *m", LIMIT);
    // The block starts on line 10; the alias that passes the limit is well inside it.
    assertThatThrownBy(() -> new ApplicationLoader().load("argo.yaml", argo))
        .hasMessageMatching("argo\\.yaml:(1\\d|2\\d|3\\d):\\d+: the alias \\*m\\d+ makes .*");
  }

  @Test
  void theApplicationLoaderRefusesDeepNestingWithAMessage() {
    refusedAtOnce(
        () ->
            new ApplicationLoader()
                .load(
                    "deep.yaml", application("        deep: " + Bombs.nestedLists(10_000) + "\n")),
        "deep.yaml:10:",
        "more than 200 levels deep");
  }

  @Test
  void applicationValuesResolveAliasesAndMergeKeys() {
    Application app =
        new ApplicationLoader()
            .load(
                "app.yaml",
                application(
                    "        defaults: &defaults {replicas: 1, image: &img nginx:1.27}\n"
                        + "        web: {<<: *defaults, replicas: 2, sidecar: *img}\n"))
            .getFirst();

    SourceType.Helm helm = (SourceType.Helm) app.source().type();
    assertThat(helm.values().get("web"))
        .isEqualTo(Map.of("replicas", 2L, "image", "nginx:1.27", "sidecar", "nginx:1.27"));
  }

  // --- Plain manifests

  @Test
  void aDirectoryOfManifestsRefusesABillionLaughsOfLists() {
    repo.write("app/laughs.yaml", Bombs.configMap(BOMB));
    Revision revision = repo.commit("bomb");

    refusedAtOnce(() -> renderDirectory("app", revision), "app/laughs.yaml:", LIMIT);
  }

  @Test
  void aDirectoryOfManifestsRefusesABillionLaughsOfMappings() {
    repo.write("app/laughs.yaml", Bombs.configMap(Bombs.chainedMappings(30, "  ")));
    Revision revision = repo.commit("bomb");

    refusedAtOnce(() -> renderDirectory("app", revision), "app/laughs.yaml:", LIMIT);
  }

  @Test
  void aDirectoryOfManifestsRefusesDeepNesting() {
    repo.write("app/deep.yaml", Bombs.configMap("  deep: " + Bombs.nestedLists(10_000) + "\n"));
    Revision revision = repo.commit("deep");

    refusedAtOnce(
        () -> renderDirectory("app", revision), "app/deep.yaml:6:", "more than 200 levels deep");
  }

  @Test
  void aDirectoryOfManifestsRefusesAFileByTheSizeOfItsBlobBeforeReadingIt() {
    String big = DirectoryRenderTest.configMap("big") + "#" + "x".repeat(200_000);
    repo.write("app/big.yaml", big);
    Revision revision = repo.commit("big");
    YamlLimits small = new YamlLimits(100_000, 200, 1_000_000, 1_000_000, 100);

    try (Renderer renderer =
        new Renderer(
            repo.repos,
            new RenderOptions(
                root.resolve("small"), Optional.empty(), 0, Duration.ofMinutes(1), small),
            repo.meters)) {
      assertThatThrownBy(
              () ->
                  renderer.render(
                      new RenderSource(
                          "web", repo.url(), "app", "main", SourceKind.Directory.plain()),
                      revision,
                      DirectoryRenderTest.TARGET))
          .hasMessage(
              "app/big.yaml is "
                  + String.format("%,d", big.length())
                  + " bytes, more than the 100,000 bytes Tagflow reads from one YAML file; split"
                  + " it into smaller files");
    }
  }

  @Test
  void aliasesInPlainManifestsRenderAsTheirValuesNotTheirNames() {
    repo.write(
        "app/web.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web
          labels: &labels {app: web, tier: front}
          annotations:
            <<: *labels
            tier: back
        data:
          image: &img nginx:1.27
          sidecar: *img
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: ports
          labels: {app: web}
        data:
          ports: &ports |
            80,443
          copy: *ports
        """);
    Revision revision = repo.commit("anchors");

    List<Manifest> manifests = renderDirectory("app", revision);

    GenericKubernetesResource web = manifests.get(0).object();
    assertThat(web.getAdditionalProperties().get("data"))
        .isEqualTo(Map.of("image", "nginx:1.27", "sidecar", "nginx:1.27"));
    assertThat(web.getMetadata().getLabels()).containsEntry("tier", "front");
    assertThat(web.getMetadata().getAnnotations())
        .containsEntry("app", "web")
        .containsEntry("tier", "back");
    assertThat(manifests.get(1).object().getAdditionalProperties().get("data"))
        .isEqualTo(Map.of("ports", "80,443\n", "copy", "80,443\n"));
  }

  @Test
  void aliasesOfListsInManifestsRenderAsTheirValues() {
    repo.write(
        "app/deploy.yaml",
        """
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
            data: {hosts: &hosts "a,b"}
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: b}
            data: {hosts: *hosts}
        """);
    Revision revision = repo.commit("list");

    List<Manifest> manifests = renderDirectory("app", revision);

    assertThat(manifests)
        .extracting(m -> m.object().getAdditionalProperties().get("data"))
        .containsExactly(Map.of("hosts", "a,b"), Map.of("hosts", "a,b"));
  }

  // --- Helm

  void chart() {
    repo.write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
    repo.write(
        "chart/templates/cm.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}
        data:
          image: &img {{ .Values.image | quote }}
          sidecar: *img
        """);
  }

  @Test
  void aHelmValuesFileRefusesABillionLaughs() {
    chart();
    repo.write("chart/values-laughs.yaml", "image: nginx\n" + Bombs.chainedLists(30, ""));
    Revision revision = repo.commit("values bomb");
    SourceKind.Helm helm =
        new SourceKind.Helm(
            Optional.empty(), List.of("values-laughs.yaml"), Optional.empty(), Optional.empty());

    refusedAtOnce(
        () ->
            repo.render(
                new RenderSource("web", repo.url(), "chart", "main", helm),
                revision,
                DirectoryRenderTest.TARGET),
        "chart/values-laughs.yaml:",
        LIMIT);
  }

  @Test
  void aChartsOwnValuesFileRefusesABillionLaughs() {
    chart();
    repo.write("chart/values.yaml", "image: nginx\n" + Bombs.chainedLists(30, ""));
    Revision revision = repo.commit("chart values bomb");

    refusedAtOnce(
        () ->
            repo.render(
                new RenderSource("web", repo.url(), "chart", "main", SourceKind.Helm.ofChart()),
                revision,
                DirectoryRenderTest.TARGET),
        "chart/values.yaml:",
        LIMIT);
  }

  @Test
  void aliasesInAChartsTemplatesRenderAsTheirValues() {
    chart();
    repo.write("chart/values.yaml", "image: nginx:1.27\n");
    Revision revision = repo.commit("chart with anchors");

    List<Manifest> manifests =
        repo.render(
            new RenderSource("web", repo.url(), "chart", "main", SourceKind.Helm.ofChart()),
            revision,
            DirectoryRenderTest.TARGET);

    assertThat(manifests.getFirst().object().getAdditionalProperties().get("data"))
        .isEqualTo(Map.of("image", "nginx:1.27", "sidecar", "nginx:1.27"));
  }

  // --- Kustomize

  @Test
  void aKustomizationFileRefusesABillionLaughsBeforeKubectlRuns() {
    repo.write("overlay/kustomization.yaml", "resources: [cm.yaml]\n" + Bombs.chainedLists(30, ""));
    Revision revision = repo.commit("kustomization bomb");

    refusedAtOnce(
        () ->
            repo.render(
                new RenderSource("web", repo.url(), "overlay", "main", new SourceKind.Kustomize()),
                revision,
                DirectoryRenderTest.TARGET),
        "overlay/kustomization.yaml:",
        LIMIT);
  }

  @Test
  void aResourceOfAKustomizationRefusesABillionLaughsBeforeKubectlRuns() {
    // kubectl kustomize itself ran for over two minutes on this file before it was stopped.
    repo.write("overlay/kustomization.yaml", "resources: [cm.yaml]\n");
    repo.write("overlay/cm.yaml", Bombs.configMap(BOMB));
    Revision revision = repo.commit("resource bomb");

    refusedAtOnce(
        () ->
            repo.render(
                new RenderSource("web", repo.url(), "overlay", "main", new SourceKind.Kustomize()),
                revision,
                DirectoryRenderTest.TARGET),
        "overlay/cm.yaml:",
        LIMIT);
  }

  // --- Other readers of YAML

  @Test
  void healthRulesRefuseABillionLaughs() {
    refusedAtOnce(
        () -> new HealthRuleReader().read("rules.yaml", Bombs.chainedLists(30, "")),
        "rules.yaml:",
        LIMIT);
  }

  @Test
  void theRepositoryListRefusesABillionLaughsAndAnOversizedFile(@TempDir Path dir)
      throws Exception {
    Path laughs = Files.writeString(dir.resolve("repositories.yaml"), Bombs.chainedLists(30, ""));
    refusedAtOnce(() -> new RepoRegistry(laughs).list(), laughs + ":", LIMIT);

    Path huge = dir.resolve("huge.yaml");
    try (RandomAccessFile sparse = new RandomAccessFile(huge.toFile(), "rw")) {
      sparse.setLength(100L * 1024 * 1024);
    }
    assertThatThrownBy(() -> new RepoRegistry(huge).list())
        .hasMessageStartingWith(huge + " is 104,857,600 bytes, more than the 10 MiB");
  }

  @Test
  void manifestsGivenToSyncRefuseABillionLaughs() {
    refusedAtOnce(
        () -> new ObjectJson().readYaml("manifests/cm.yaml", Bombs.configMap(BOMB)),
        "manifests/cm.yaml:",
        LIMIT);
  }

  private static String indent(String text, String prefix) {
    return text.lines().map(line -> prefix + line + "\n").reduce("", String::concat);
  }
}
