package dev.tagflow.render;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.source.Revision;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kustomize without kubectl; overlays built by a real kubectl are in the testkit's
 * KustomizeRenderIT.
 */
class KustomizeRenderTest {

  @TempDir Path root;

  @Test
  void saysHowToGetKubectlWhenNoneIsConfigured() {
    try (GitFixture repo = new GitFixture(root, Optional.empty())) {
      repo.write("base/kustomization.yaml", "resources: [cm.yaml]\n");
      repo.write("base/cm.yaml", DirectoryRenderTest.configMap("base"));
      Revision revision = repo.commit("base");
      RenderSource source =
          new RenderSource("web", repo.url(), "base", "main", new SourceKind.Kustomize());

      assertThatThrownBy(() -> repo.render(source, revision, HelmRenderTest.TARGET))
          .isInstanceOf(TagflowException.class)
          .hasMessage(
              "'base' is a Kustomize overlay, and no kubectl is configured to build it; install"
                  + " kubectl or give its path (tagflow render --kubectl <path>; ./tagflow cluster"
                  + " build makes one)");
    }
  }

  @Test
  void refusesAPathWithoutAKustomizationNamingPathAndRevision() {
    try (GitFixture repo = new GitFixture(root, Optional.empty())) {
      repo.write("plain/cm.yaml", DirectoryRenderTest.configMap("base"));
      Revision revision = repo.commit("plain");
      RenderSource source =
          new RenderSource("web", repo.url(), "plain", "main", new SourceKind.Kustomize());

      assertThatThrownBy(() -> repo.render(source, revision, HelmRenderTest.TARGET))
          .hasMessage(
              "no kustomization.yaml in 'plain' of "
                  + repo.url()
                  + " at main ("
                  + revision.shortCommit()
                  + "); a Kustomize source needs one");
    }
  }
}
