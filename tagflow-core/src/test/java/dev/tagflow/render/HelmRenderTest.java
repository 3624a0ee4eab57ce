package dev.tagflow.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.marcnuri.helm.Helm;
import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import dev.tagflow.source.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class HelmRenderTest {

  static final RenderTarget TARGET = new RenderTarget("shop", Capabilities.offline("v1.37.2"));

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

  RenderSource chartAt(String path, SourceKind.Helm helm) {
    return new RenderSource("web", repo.url(), path, "main", helm);
  }

  static SourceKind.Helm values(List<String> files, String inline) {
    return new SourceKind.Helm(
        Optional.empty(), files, Optional.ofNullable(inline), Optional.empty());
  }

  @Test
  void rendersAChartWithItsDependencyFromChartsWithParentValuesOverridingTheSubchart() {
    repo.copy("render/charts/with-deps", "charts/shop");
    Revision revision = repo.commit("chart with a dependency");

    List<Manifest> manifests =
        repo.render(chartAt("charts/shop", SourceKind.Helm.ofChart()), revision, TARGET);

    assertThat(manifests)
        .extracting(
            m -> m.object().getKind(), m -> m.object().getMetadata().getName(), Manifest::file)
        .containsExactlyInAnyOrder(
            tuple("Service", "web-shop", "charts/shop/templates/service.yaml"),
            tuple("Deployment", "web-shop", "charts/shop/templates/deployment.yaml"),
            tuple(
                "StatefulSet", "web-cache", "charts/shop/charts/cache/templates/statefulset.yaml"));
    assertThat(manifests)
        .allSatisfy(m -> assertThat(m.object().getMetadata().getNamespace()).isEqualTo("shop"));
    Manifest cache =
        manifests.stream()
            .filter(m -> m.object().getKind().equals("StatefulSet"))
            .findFirst()
            .orElseThrow();
    assertThat(cache.object().get("spec", "volumeClaimTemplates").toString())
        .contains("storage=2Gi");
  }

  @Test
  void rendersAPackagedDependencyWithItsHooksAndCrds() throws Exception {
    Path packaged = root.resolve("packaged/cache");
    copyResource("render/charts/with-deps/charts/cache", packaged);
    Files.writeString(
        packaged.resolve("templates/warm-up.yaml"),
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-warm-up\n"
            + "  annotations: {\"helm.sh/hook\": post-install}\n"
            + "spec: {template: {spec: {restartPolicy: Never, containers: [{name: w, image: busybox}]}}}\n");
    Files.createDirectories(packaged.resolve("crds"));
    Files.writeString(
        packaged.resolve("crds/caches.yaml"),
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            + "metadata: {name: caches.example.com}\n"
            + "spec: {group: example.com, scope: Namespaced, names: {kind: Cache, plural: caches}}\n");
    new Helm(packaged).packageIt().withDestination(root.resolve("packaged")).call();
    repo.copy("render/charts/with-deps", "charts/shop");
    repo.delete("charts/shop/charts/cache");
    repo.write(
        "charts/shop/charts/cache-0.2.0.tgz",
        Files.readAllBytes(root.resolve("packaged/cache-0.2.0.tgz")));
    Revision revision = repo.commit("packaged dependency");

    List<Manifest> manifests =
        repo.render(chartAt("charts/shop", SourceKind.Helm.ofChart()), revision, TARGET);

    assertThat(manifests)
        .extracting(
            m -> m.object().getKind(), m -> m.object().getMetadata().getName(), Manifest::hook)
        .containsExactlyInAnyOrder(
            tuple("CustomResourceDefinition", "caches.example.com", false),
            tuple("Service", "web-shop", false),
            tuple("Deployment", "web-shop", false),
            tuple("StatefulSet", "web-cache", false),
            tuple("Job", "web-warm-up", true));
    assertThat(manifests.getFirst().file()).isEqualTo("charts/shop/charts/cache/crds/caches.yaml");
  }

  static void copyResource(String resource, Path to) throws Exception {
    Path from = Path.of(HelmRenderTest.class.getResource("/" + resource).toURI());
    try (var files = Files.walk(from)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
  }

  @Test
  void branchesOnTheTargetsKubernetesVersionAndApiVersions() {
    repo.copy("render/charts/capabilities", "chart");
    Revision revision = repo.commit("capabilities");
    RenderSource source = chartAt("chart", SourceKind.Helm.ofChart());

    List<Manifest> current = repo.render(source, revision, TARGET);
    List<Manifest> old =
        repo.render(source, revision, new RenderTarget("legacy", Capabilities.offline("v1.20.4")));

    assertThat(apiVersionOf(current, "PodDisruptionBudget")).isEqualTo("policy/v1");
    assertThat(apiVersionOf(old, "PodDisruptionBudget")).isEqualTo("policy/v1beta1");
    Map<String, Object> data = data(current, "ConfigMap");
    assertThat(data)
        .containsEntry("kubeVersion", "v1.37.2")
        .containsEntry("minor", "37")
        .containsEntry("hasAppsV1", "true")
        .containsEntry("namespace", "shop");
    assertThat(data(old, "ConfigMap"))
        .containsEntry("namespace", "legacy")
        .containsEntry("minor", "20");
  }

  @Test
  void keepsHooksWithTheirAnnotationsAndPutsTheChartsCrdsFirst() {
    repo.copy("render/charts/hooks", "chart");
    Revision revision = repo.commit("hooks");

    List<Manifest> manifests =
        repo.render(chartAt("chart", SourceKind.Helm.ofChart()), revision, TARGET);

    assertThat(manifests)
        .extracting(m -> m.object().getKind(), Manifest::hook, Manifest::file)
        .containsExactly(
            tuple("CustomResourceDefinition", false, "chart/crds/widgets.yaml"),
            tuple("ConfigMap", false, "chart/templates/configmap.yaml"),
            tuple("Job", true, "chart/templates/migrate-job.yaml"));
    assertThat(manifests.get(2).object().getMetadata().getAnnotations())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "helm.sh/hook", "pre-install,pre-upgrade",
                "helm.sh/hook-weight", "-5",
                "helm.sh/hook-delete-policy", "before-hook-creation"));
    assertThat(manifests.get(0).object().getMetadata().getNamespace()).isNull();
  }

  @Test
  void layersValuesAsTheHelmEngineDoes() throws Exception {
    repo.copy("render/charts/layering", "charts/web");
    String first = "image:\n  tag: \"1.1.0\"\nfeatureFlags:\n  beta: true\nports: [8080]\n";
    String second = "featureFlags:\n  legacy: null\nresources:\n  limits: {memory: 1Gi}\n";
    String inline = "replicaCount: 3\nimage: {tag: \"2.0.0\"}\n";
    repo.write("envs/prod/first.yaml", first).write("envs/prod/second.yaml", second);
    Revision revision = repo.commit("values");
    SourceKind.Helm helm =
        new SourceKind.Helm(
            Optional.of(new ChartRef(repo.url(), "charts/web", "main")),
            List.of("first.yaml", "second.yaml"),
            Optional.of(inline),
            Optional.of("web"));

    List<Manifest> ours = repo.render(chartAt("envs/prod", helm), revision, TARGET);

    Path files = Files.createDirectories(root.resolve("direct"));
    Files.writeString(files.resolve("1.yaml"), first);
    Files.writeString(files.resolve("2.yaml"), second);
    Files.writeString(files.resolve("3.yaml"), inline);
    String direct =
        new Helm(repo.work.resolve("charts/web"))
            .template()
            .withName("web")
            .withNamespace("shop")
            .withKubeVersion("v1.37.2")
            .withValuesFile(files.resolve("1.yaml"))
            .withValuesFile(files.resolve("2.yaml"))
            .withValuesFile(files.resolve("3.yaml"))
            .call();
    JsonNode helmValues =
        valuesIn(
            new tools.jackson.dataformat.yaml.YAMLMapper()
                .readTree(direct.substring(direct.indexOf("apiVersion"))));
    JsonNode ourValues =
        PlainJson.MAPPER.readTree((String) data(ours, "ConfigMap").get("values.json"));

    assertThat(ourValues).isEqualTo(helmValues);
    assertThat(ourValues.toString())
        .isEqualTo(
            "{\"featureFlags\":{\"beta\":true},\"image\":{\"pullPolicy\":\"IfNotPresent\","
                + "\"repository\":\"registry.local/web\",\"tag\":\"2.0.0\"},\"ports\":[8080],"
                + "\"replicaCount\":3,\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":\"1Gi\"}}}");
  }

  @Test
  void takesTheChartFromAnotherRepositoryAtItsOwnRevision() {
    GitFixture charts = new GitFixture(root, "charts", Optional.empty());
    try {
      charts.copy("render/charts/hooks", "hooks");
      charts.commit("hooks 1");
      charts.git("tag", "v1.0.0");
      charts.write(
          "hooks/templates/configmap.yaml",
          DirectoryRenderTest.configMap("{{ .Release.Name }}-v2"));
      charts.commit("hooks 2");
      repo.write("env/values.yaml", "image: migrate:9\n");
      Revision revision = repo.commit("environment");
      SourceKind.Helm helm =
          new SourceKind.Helm(
              Optional.of(new ChartRef(charts.url(), "hooks", "v1.0.0")),
              List.of("values.yaml"),
              Optional.empty(),
              Optional.of("rel"));

      List<Manifest> manifests = repo.render(chartAt("env", helm), revision, TARGET);

      assertThat(manifests)
          .extracting(m -> m.object().getMetadata().getName())
          .contains("rel-config");
      assertThat(manifests.get(2).object().get("spec", "template").toString())
          .contains("migrate:9");
    } finally {
      charts.close();
    }
  }

  @Test
  void rendersChartsFromSeveralThreadsAsFromOne() throws Exception {
    repo.copy("render/charts/layering", "charts/web");
    for (int i = 0; i < 6; i++) {
      repo.write("envs/e" + i + "/values.yaml", "replicaCount: " + i + "\n");
    }
    Revision revision = repo.commit("six environments");
    SourceKind.Helm helm =
        new SourceKind.Helm(
            Optional.of(new ChartRef(repo.url(), "charts/web", "main")),
            List.of("values.yaml"),
            Optional.empty(),
            Optional.of("web"));

    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(3)) {
      List<java.util.concurrent.Future<List<Manifest>>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        RenderSource source = chartAt("envs/e" + i, helm);
        futures.add(pool.submit(() -> repo.render(source, revision, TARGET)));
      }
      for (int i = 0; i < 6; i++) {
        assertThat((String) data(futures.get(i).get(), "ConfigMap").get("values.json"))
            .contains("\"replicaCount\":" + i + ",");
      }
    }
  }

  @Test
  void acceptsAFieldAChartWritesTwiceAsHelmTemplateDoesWithTheLastOneWinning() {
    repo.copy("render/charts/layering", "chart");
    repo.write(
        "chart/templates/twice.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: twice\n"
            + "  labels: {a: one}\n  labels: {a: two}\n");
    Revision revision = repo.commit("a label block twice");

    List<Manifest> manifests =
        repo.render(chartAt("chart", SourceKind.Helm.ofChart()), revision, TARGET);

    assertThat(manifests.stream().filter(m -> m.object().getMetadata().getName().equals("twice")))
        .singleElement()
        .satisfies(m -> assertThat(m.object().getMetadata().getLabels()).containsEntry("a", "two"));
  }

  @Test
  void readsValuesFilesBesideTheSourcesPathButNotOutsideTheRepository() throws Exception {
    repo.copy("render/charts/layering", "charts/web");
    repo.write("envs/common/values.yaml", "replicaCount: 7\n");
    repo.write("envs/prod/values.yaml", "image: {tag: \"9.9.9\"}\n");
    Revision revision = repo.commit("shared values");
    Optional<ChartRef> chart = Optional.of(new ChartRef(repo.url(), "charts/web", "main"));
    SourceKind.Helm layered =
        new SourceKind.Helm(
            chart,
            List.of("../common/values.yaml", "values.yaml"),
            Optional.empty(),
            Optional.empty());
    SourceKind.Helm escaping =
        new SourceKind.Helm(
            chart, List.of("../../../etc/passwd"), Optional.empty(), Optional.empty());

    String values =
        (String)
            data(repo.render(chartAt("envs/prod", layered), revision, TARGET), "ConfigMap")
                .get("values.json");

    assertThat(values).contains("\"replicaCount\":7").contains("\"tag\":\"9.9.9\"");
    assertThatThrownBy(() -> repo.render(chartAt("envs/prod", escaping), revision, TARGET))
        .hasMessage("'../../../etc/passwd' in web leads outside the repository " + repo.url());
  }

  @Test
  void namesThePathAndRevisionOfAMissingValuesFile() {
    repo.copy("render/charts/layering", "chart");
    Revision revision = repo.commit("chart");

    assertThatThrownBy(
            () ->
                repo.render(
                    chartAt("chart", values(List.of("values-prod.yaml"), null)), revision, TARGET))
        .isInstanceOf(TagflowException.class)
        .hasMessage(
            "values file 'values-prod.yaml' not found in 'chart' of "
                + repo.url()
                + " at main ("
                + revision.shortCommit()
                + ")");
  }

  @Test
  void namesThePathAndRevisionOfAMissingChart() {
    repo.write("env/values.yaml", "a: 1\n");
    Revision revision = repo.commit("no chart");
    SourceKind.Helm helm =
        new SourceKind.Helm(
            Optional.of(new ChartRef(repo.url(), "env", "main")),
            List.of(),
            Optional.empty(),
            Optional.empty());

    assertThatThrownBy(() -> repo.render(chartAt("env", helm), revision, TARGET))
        .hasMessage(
            "no Chart.yaml in 'env' of "
                + repo.url()
                + " at main ("
                + revision.shortCommit()
                + "): the Helm chart of web is missing there");
  }

  @Test
  void namesThePathAndRevisionOfAChartPathMissingFromItsRepository() {
    repo.write("env/values.yaml", "a: 1\n");
    Revision revision = repo.commit("values only");
    SourceKind.Helm helm =
        new SourceKind.Helm(
            Optional.of(new ChartRef(repo.url(), "charts/nowhere", "main")),
            List.of("values.yaml"),
            Optional.empty(),
            Optional.empty());

    assertThatThrownBy(() -> repo.render(chartAt("env", helm), revision, TARGET))
        .isInstanceOf(TagflowException.class)
        .hasMessageStartingWith(
            "the chart of web is not at 'charts/nowhere' of "
                + repo.url()
                + " at main ("
                + revision.shortCommit()
                + "): ");
  }

  @Test
  void namesTheTemplateFileAndLineOfATemplateError() {
    repo.copy("render/charts/layering", "chart");
    repo.write(
        "chart/templates/broken.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  x: {{ .Values.image.missing.deeper }}\n");
    Revision revision = repo.commit("broken template");

    assertThatThrownBy(
            () -> repo.render(chartAt("chart", SourceKind.Helm.ofChart()), revision, TARGET))
        .isInstanceOf(TagflowException.class)
        .hasMessageStartingWith(
            "chart/templates/broken.yaml:6:15: Helm could not render the chart 'chart' of ")
        .hasMessageNotContaining("--debug")
        .hasMessageNotContaining("not valid YAML");
  }

  @Test
  void namesTheTemplateFileOfARequiredValueAndOfInvalidYamlItRenders() {
    repo.copy("render/charts/layering", "chart");
    repo.write(
        "chart/templates/needs.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ required \"name is required\" .Values.name }}\n");
    Revision required = repo.commit("required value");
    RenderSource source = chartAt("chart", SourceKind.Helm.ofChart());

    assertThatThrownBy(() -> repo.render(source, required, TARGET))
        .hasMessageStartingWith("chart/templates/needs.yaml:4:")
        .hasMessageContaining("name is required");

    repo.write(
        "chart/templates/needs.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: indent\n");
    Revision invalid = repo.commit("invalid yaml");
    assertThatThrownBy(() -> repo.render(source, invalid, TARGET))
        .hasMessageStartingWith(
            "chart/templates/needs.yaml (line 5 of its rendered output): Helm could not render")
        // Helm's advice names a flag Tagflow does not have; ours says what to look at.
        .hasMessageNotContaining("--debug")
        .hasMessageContaining("not valid YAML there");
  }

  @Test
  void namesFileLineAndColumnOfAValuesFileSyntaxError() {
    repo.copy("render/charts/layering", "chart");
    repo.write("chart/prod.yaml", "image:\n  tag: [1.0\n");
    Revision revision = repo.commit("bad values");

    assertThatThrownBy(
            () ->
                repo.render(chartAt("chart", values(List.of("prod.yaml"), null)), revision, TARGET))
        .hasMessageStartingWith("chart/prod.yaml:2:");
  }

  @Test
  void rendersAgainOnlyWhenTheChartOrTheValuesChange() {
    repo.copy("render/charts/layering", "charts/web");
    repo.write("envs/prod/values.yaml", "replicaCount: 2\n");
    repo.write("envs/staging/values.yaml", "replicaCount: 1\n");
    Revision first = repo.commit("two environments");
    SourceKind.Helm helm =
        new SourceKind.Helm(
            Optional.of(new ChartRef(repo.url(), "charts/web", "main")),
            List.of("values.yaml"),
            Optional.empty(),
            Optional.empty());
    repo.render(chartAt("envs/prod", helm), first, TARGET);

    repo.write("envs/staging/values.yaml", "replicaCount: 5\n");
    Revision second = repo.commit("staging only");
    repo.render(chartAt("envs/prod", helm), second, TARGET);
    assertThat(repo.cacheCount("hit")).isEqualTo(1);

    repo.write("envs/prod/values.yaml", "replicaCount: 3\n");
    Revision third = repo.commit("prod changed");
    List<Manifest> changed = repo.render(chartAt("envs/prod", helm), third, TARGET);
    assertThat(repo.cacheCount("miss")).isEqualTo(2);
    assertThat((String) data(changed, "ConfigMap").get("values.json"))
        .contains("\"replicaCount\":3");
  }

  static String apiVersionOf(List<Manifest> manifests, String kind) {
    return manifests.stream()
        .filter(m -> m.object().getKind().equals(kind))
        .findFirst()
        .orElseThrow()
        .object()
        .getApiVersion();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> data(List<Manifest> manifests, String kind) {
    return (Map<String, Object>)
        manifests.stream()
            .filter(m -> m.object().getKind().equals(kind))
            .findFirst()
            .orElseThrow()
            .object()
            .getAdditionalProperties()
            .get("data");
  }

  static JsonNode valuesIn(JsonNode configMap) throws Exception {
    return PlainJson.MAPPER.readTree(configMap.path("data").path("values.json").asText());
  }
}
