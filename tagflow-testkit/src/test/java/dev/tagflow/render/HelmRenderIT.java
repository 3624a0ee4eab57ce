package dev.tagflow.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.source.Revision;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the Helm engine renders for the cluster's own version is what its API server accepts. */
@ExtendWith(LocalClusterExtension.class)
class HelmRenderIT {

  /** The charts of tagflow-core's tests, one module over. */
  static final Path CHARTS =
      Path.of("..", "tagflow-core", "src", "test", "resources", "render", "charts");

  @TempDir Path root;

  @Test
  void theApiServerAcceptsEveryObjectOfAChartRenderedForItsVersion(
      KubernetesClient client, TestNamespace ns) {
    var version = client.getKubernetesVersion();
    RenderTarget target =
        new RenderTarget(
            ns.name(),
            Capabilities.offline(
                "v" + version.getMajor() + "." + version.getMinor().replaceAll("\\D", "") + ".0"));
    try (RenderRepository repo = new RenderRepository(root, Optional.empty())) {
      repo.copyFrom(CHARTS.resolve("with-deps"), "charts/shop");
      repo.copyFrom(CHARTS.resolve("capabilities"), "charts/capabilities");
      Revision revision = repo.commit("two charts");

      List<Manifest> manifests = new java.util.ArrayList<>();
      for (String chart : List.of("charts/shop", "charts/capabilities")) {
        manifests.addAll(
            repo.renderer.render(
                new RenderSource("web", repo.url(), chart, "main", SourceKind.Helm.ofChart()),
                revision,
                target));
      }

      assertThat(manifests).hasSize(5);
      for (Manifest manifest : manifests) {
        client
            .resource(manifest.object())
            .fieldManager("tagflow")
            .forceConflicts()
            .serverSideApply();
      }
      assertThat(client.apps().deployments().inNamespace(ns.name()).withName("web-shop").get())
          .isNotNull();
      assertThat(client.apps().statefulSets().inNamespace(ns.name()).withName("web-cache").get())
          .isNotNull();
      assertThat(
              client
                  .genericKubernetesResources("policy/v1", "PodDisruptionBudget")
                  .inNamespace(ns.name())
                  .withName("web")
                  .get())
          .isNotNull();
    }
  }
}
