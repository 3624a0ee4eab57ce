package dev.tagflow.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.PlainJson;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.source.Revision;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Applications as the loader reads them, rendered: the mapping onto RenderSource. */
class ApplicationRenderTest {

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

  Application load(String yaml) {
    return new ApplicationLoader().load("app.yaml", yaml).getFirst();
  }

  @Test
  void rendersAHelmApplicationWithValueFilesInlineValuesAndParametersInHelmsOrder()
      throws Exception {
    repo.copy("render/charts/layering", "charts/web");
    repo.write("envs/prod/values.yaml", "replicaCount: 2\nimage: {tag: \"1.5.0\"}\n");
    Revision revision = repo.commit("chart and environment");
    Application application =
        load(
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: web-prod}
            spec:
              source:
                repoURL: %s
                targetRevision: main
                path: envs/prod
                helm:
                  chart: {path: charts/web}
                  valueFiles: [values.yaml]
                  values: {replicaCount: 3, featureFlags: {legacy: null}}
                  parameters:
                    - {name: image.tag, value: "2.0.0"}
                    - {name: ports, value: "8080"}
                    - {name: featureFlags.beta, value: "true", forceString: true}
              destination: {cluster: local, namespace: web-prod}
            """
                .formatted(repo.url()));

    List<Manifest> manifests =
        repo.render(
            RenderSource.of(application),
            revision,
            new RenderTarget("web-prod", Capabilities.offline("v1.37.2")));

    assertThat(manifests).hasSize(1);
    assertThat(manifests.getFirst().object().getMetadata().getName()).isEqualTo("web-prod-values");
    JsonNode values =
        PlainJson.MAPPER.readTree(
            (String) HelmRenderTest.data(manifests, "ConfigMap").get("values.json"));
    assertThat(values.path("replicaCount").asInt()).isEqualTo(3);
    assertThat(values.path("image").path("tag").asText()).isEqualTo("2.0.0");
    assertThat(values.path("ports").isNumber()).isTrue();
    assertThat(values.path("featureFlags").path("beta").isTextual()).isTrue();
    assertThat(values.path("featureFlags").has("legacy")).isFalse();
  }

  @Test
  void detectsAChartOrPlainFilesWhenTheApplicationDoesNotSay() {
    repo.copy("render/charts/hooks", "chart");
    repo.write("plain/cm.yaml", DirectoryRenderTest.configMap("plain"));
    Revision revision = repo.commit("a chart and plain files");
    String yaml =
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: {repoURL: %s, targetRevision: main, path: %s}
          destination: {cluster: local, namespace: shop}
        """;

    List<Manifest> chart =
        repo.render(
            RenderSource.of(load(yaml.formatted("hooks", repo.url(), "chart"))),
            revision,
            HelmRenderTest.TARGET);
    List<Manifest> plain =
        repo.render(
            RenderSource.of(load(yaml.formatted("plain", repo.url(), "plain"))),
            revision,
            HelmRenderTest.TARGET);

    assertThat(chart).extracting(Manifest::hook).containsExactly(false, false, true);
    assertThat(plain).extracting(m -> m.object().getMetadata().getName()).containsExactly("plain");
  }
}
