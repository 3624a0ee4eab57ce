package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.source.RefChanged;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TriggersTest {

  private static RefChanged moved(String repository) {
    return new RefChanged(
        repository,
        "refs/heads/main",
        Optional.of("a".repeat(40)),
        Optional.of("b".repeat(40)),
        RefChanged.Origin.POLL,
        Instant.EPOCH);
  }

  @Test
  void aRefChangeConcernsTheApplicationsReadingThatRepository() {
    Application web = Apps.app("web", "https://git.example.com/acme/env.git", "");
    Application other = Apps.app("other", "https://git.example.com/acme/other.git", "");

    assertThat(Triggers.reads(web, moved("https://git.example.com/acme/env.git"))).isTrue();
    assertThat(Triggers.reads(other, moved("https://git.example.com/acme/env.git"))).isFalse();
  }

  @Test
  void repositoryUrlsMatchWithoutCredentialsTrailingSlashOrDotGitAndHostCase() {
    Application web = Apps.app("web", "https://git.example.com/acme/env.git", "");

    assertThat(Triggers.reads(web, moved("https://GIT.example.com/acme/env/"))).isTrue();
    assertThat(Triggers.reads(web, moved("https://bot:secret@git.example.com/acme/env"))).isTrue();
    assertThat(Triggers.reads(web, moved("https://git.example.com/ACME/env"))).isFalse();
  }

  @Test
  void aChartInAnotherRepositoryMakesItsChangesConcernTheApplication() {
    Application web =
        new ApplicationLoader()
            .load(
                "web.yaml",
                """
                apiVersion: tagflow.dev/v1alpha1
                kind: Application
                metadata: {name: web}
                spec:
                  source:
                    repoURL: https://git.example.com/acme/env.git
                    path: env
                    helm: {chart: {repoURL: "https://git.example.com/acme/charts.git", path: web}}
                  destination: {cluster: local, namespace: shop}
                """)
            .getFirst();

    assertThat(Triggers.reads(web, moved("https://git.example.com/acme/charts.git"))).isTrue();
  }

  @Test
  void anObjectBelongsToTheApplicationOfItsTrackingId() {
    var owned =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("settings")
            .withNamespace("shop")
            .addToAnnotations("tagflow.dev/tracking-id", "web:/ConfigMap:shop/settings")
            .endMetadata()
            .build();
    var foreign = new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build();

    assertThat(Triggers.owner(owned)).contains("web");
    assertThat(Triggers.owner(foreign)).isEmpty();
  }
}
