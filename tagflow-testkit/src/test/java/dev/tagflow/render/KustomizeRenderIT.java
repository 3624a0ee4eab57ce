package dev.tagflow.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tagflow.TagflowException;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.source.Revision;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Overlays built by the kubectl the testkit builds, with bases outside the overlay's path. */
@ExtendWith(LocalClusterExtension.class)
class KustomizeRenderIT {

  static final RenderTarget TARGET = new RenderTarget("shop", Capabilities.offline("v1.37.2"));

  @TempDir Path root;

  static void baseAndOverlay(RenderRepository repo) {
    repo.write("base/kustomization.yaml", "resources: [deployment.yaml]\n");
    repo.write(
        "base/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: web:1.0.0}]}
        """);
    repo.write(
        "overlays/prod/kustomization.yaml",
        """
        namePrefix: prod-
        resources: [../../base]
        patches: [{path: replicas.yaml}]
        configMapGenerator:
          - name: settings
            literals: [mode=production]
        images:
          - {name: web, newTag: 1.2.3}
        """);
    repo.write(
        "overlays/prod/replicas.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n");
  }

  @Test
  void buildsAnOverlayWhoseBaseIsOutsideItsPath(LocalCluster cluster) {
    try (RenderRepository repo =
        new RenderRepository(root, Optional.of(cluster.binaries().kubectl()))) {
      baseAndOverlay(repo);
      Revision revision = repo.commit("base and overlay");

      List<Manifest> manifests =
          repo.renderer.render(source(repo, "overlays/prod"), revision, TARGET);

      assertThat(manifests)
          .extracting(
              m -> m.object().getKind(),
              m -> m.object().getMetadata().getNamespace(),
              Manifest::file)
          .containsExactly(
              tuple("ConfigMap", "shop", "overlays/prod/kustomization.yaml"),
              tuple("Deployment", "shop", "overlays/prod/kustomization.yaml"));
      assertThat(manifests.get(0).object().getMetadata().getName()).startsWith("prod-settings-");
      assertThat(manifests.get(1).object().getMetadata().getName()).isEqualTo("prod-web");
      assertThat(manifests.get(1).object().get("spec", "replicas").toString()).isEqualTo("3");
      assertThat(manifests.get(1).object().get("spec", "template").toString())
          .contains("web:1.2.3");
    }
  }

  @Test
  void buildsAgainWhenTheBaseChangesButNotWhenAnUnrelatedPathDoes(LocalCluster cluster) {
    try (RenderRepository repo =
        new RenderRepository(root, Optional.of(cluster.binaries().kubectl()))) {
      baseAndOverlay(repo);
      repo.write("docs/README.md", "one\n");
      Revision first = repo.commit("overlay");
      repo.renderer.render(source(repo, "overlays/prod"), first, TARGET);

      repo.write("docs/README.md", "two\n");
      Revision second = repo.commit("docs only");
      repo.renderer.render(source(repo, "overlays/prod"), second, TARGET);
      assertThat(repo.cacheCount("hit")).isEqualTo(1);

      repo.write(
          "base/kustomization.yaml", "resources: [deployment.yaml]\ncommonLabels: {team: shop}\n");
      Revision third = repo.commit("base changed");
      List<Manifest> changed = repo.renderer.render(source(repo, "overlays/prod"), third, TARGET);
      assertThat(repo.cacheCount("miss")).isEqualTo(2);
      assertThat(changed.get(1).object().getMetadata().getLabels()).containsEntry("team", "shop");
    }
  }

  @Test
  void reportsKustomizesOwnErrorWithThePathsOfTheRepository(LocalCluster cluster) {
    try (RenderRepository repo =
        new RenderRepository(root, Optional.of(cluster.binaries().kubectl()))) {
      repo.write("overlays/bad/kustomization.yaml", "resources: [missing.yaml]\n");
      Revision revision = repo.commit("bad overlay");

      assertThatThrownBy(() -> repo.renderer.render(source(repo, "overlays/bad"), revision, TARGET))
          .isInstanceOf(TagflowException.class)
          .hasMessageStartingWith("kubectl kustomize overlays/bad failed: ")
          .hasMessageContaining("missing.yaml")
          .hasMessageNotContaining(root.resolve("render").toString());
    }
  }

  static RenderSource source(RenderRepository repo, String path) {
    return new RenderSource("web", repo.url(), path, "main", new SourceKind.Kustomize());
  }
}
