package dev.tagflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tagflow.app.SourceType.ChartRef;
import dev.tagflow.app.SourceType.HelmParameter;
import dev.tagflow.app.SyncPolicy.Automated;
import dev.tagflow.app.SyncPolicy.Backoff;
import dev.tagflow.app.SyncPolicy.Retry;
import dev.tagflow.app.SyncPolicy.Rollback;
import dev.tagflow.app.SyncPolicyOptions.PropagationPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationLoaderTest {

  private final AppFixtures fixtures = new AppFixtures();

  @Test
  void readsTheApplicationOfTheDesignIntoRecords() {
    Application app = fixtures.loadOne("good/web-production.yaml");

    assertThat(app.name()).isEqualTo("web-production");
    assertThat(app.metadata().labels()).isEqualTo(Map.of("env", "production"));
    assertThat(app.project()).isEqualTo("shop");
    assertThat(app.source().repoURL()).isEqualTo("http://127.0.0.1:7070/git/environments.git");
    assertThat(app.source().targetRevision()).isEqualTo(">=1.2.0 <2.0.0");
    assertThat(app.source().path()).isEqualTo("environments/production");
    assertThat(app.source().type())
        .isEqualTo(
            new SourceType.Helm(
                Optional.of(
                    new ChartRef(
                        Optional.of("http://127.0.0.1:7070/git/charts.git"),
                        "charts/web",
                        Optional.of("main"))),
                List.of("values.yaml"),
                Map.of("replicaCount", 2L, "image", Map.of("tag", "1.2.3")),
                List.of(new HelmParameter("image.pullPolicy", "Always", false)),
                Optional.empty()));
    assertThat(app.destination()).isEqualTo(new Destination("local", "web-prod"));
    assertThat(app.syncPolicy().automated()).contains(new Automated(true, true, false));
    assertThat(app.syncPolicy().options().createNamespace()).isTrue();
    assertThat(app.syncPolicy().options().pruneLast()).isTrue();
    assertThat(app.syncPolicy().options().replace()).isFalse();
    assertThat(app.syncPolicy().retry())
        .contains(new Retry(5, new Backoff(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(3))));
    assertThat(app.syncPolicy().rollback())
        .contains(new Rollback(true, Duration.ofMinutes(5), true));
    assertThat(app.dependsOn()).containsExactly("database-production");
    assertThat(app.ignoreDifferences())
        .containsExactly(
            new IgnoreDifference(
                "apps",
                "Deployment",
                Optional.empty(),
                Optional.empty(),
                List.of("/spec/replicas"),
                List.of(),
                List.of()),
            new IgnoreDifference(
                "",
                "ConfigMap",
                Optional.of("feature-flags"),
                Optional.empty(),
                List.of(),
                List.of(),
                List.of("flag-operator")));
    assertThat(app.origin())
        .isEqualTo(new Application.Origin("good/web-production.yaml", 2, Dialect.TAGFLOW));
  }

  @Test
  void aRollbackPolicyMayKeepWatchingASyncThatPassed() {
    List<Application> apps =
        new ApplicationLoader()
            .load(
                "w.yaml",
                """
                apiVersion: tagflow.dev/v1alpha1
                kind: Application
                metadata: {name: web}
                spec:
                  source: {repoURL: https://example.com/r.git}
                  destination: {cluster: local, namespace: web}
                  syncPolicy:
                    rollback: {onDegraded: true, onDegradedAfterHealthy: true}
                """);

    assertThat(apps.getFirst().syncPolicy().rollback())
        .contains(new Rollback(true, Rollback.DEFAULT_HEALTH_TIMEOUT, false, true));
  }

  @Test
  void fillsDefaultsForWhatAMinimalApplicationLeavesOut() {
    Application app = fixtures.loadOne("good/minimal.yaml");

    assertThat(app.project()).isEqualTo("default");
    assertThat(app.source().targetRevision()).isEqualTo("HEAD");
    assertThat(app.source().path()).isEmpty();
    assertThat(app.source().type()).isEqualTo(new SourceType.Detect());
    assertThat(app.destination()).isEqualTo(new Destination("local", ""));
    assertThat(app.syncPolicy()).isEqualTo(SyncPolicy.manual());
    assertThat(app.dependsOn()).isEmpty();
  }

  @Test
  void readsEveryDocumentOfAFileAndSkipsEmptyOnes() {
    List<Application> apps = fixtures.load("good/several.yaml");

    assertThat(apps).extracting(Application::name).containsExactly("web-staging", "manifests");
    assertThat(apps.get(0).source().type()).isEqualTo(new SourceType.Kustomize());
    assertThat(apps.get(1).source().type())
        .isEqualTo(new SourceType.Directory(true, Optional.of("*.yaml"), Optional.of("test-*")));
    assertThat(apps.get(1).origin().line()).isEqualTo(14);
    SyncPolicyOptions options = apps.get(1).syncPolicy().options();
    assertThat(options.serverSideApply()).isTrue();
    assertThat(options.replace()).isTrue();
    assertThat(options.prunePropagationPolicy()).isEqualTo(PropagationPolicy.BACKGROUND);
  }

  @Test
  void readsAFileAndNamesItByItsPath(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, fixtures.text("errors/unknown-field.yaml"));

    InvalidApplicationException e =
        assertThrows(InvalidApplicationException.class, () -> new ApplicationLoader().load(file));

    assertThat(e.getMessage()).startsWith(file + ":7:5: unknown field 'targetRevison'");
    assertThat(new ApplicationLoader().load(dir.resolve("none.yaml").getFileName().toString(), ""))
        .isEmpty();
  }

  @Test
  void acceptsQuotedBooleansAndNumbersForWhatTheyClearlyMean() {
    Application app =
        new ApplicationLoader()
            .load(
                "q.yaml",
                """
                apiVersion: tagflow.dev/v1alpha1
                kind: Application
                metadata: {name: web}
                spec:
                  source: {repoURL: https://example.com/r.git}
                  destination: {cluster: local}
                  syncPolicy:
                    automated: {prune: "true", selfHeal: "false"}
                    retry: {limit: "3"}
                """)
            .getFirst();

    assertThat(app.syncPolicy().automated()).contains(new Automated(true, false, false));
    assertThat(app.syncPolicy().retry())
        .hasValueSatisfying(r -> assertThat(r.limit()).isEqualTo(3));
  }
}
