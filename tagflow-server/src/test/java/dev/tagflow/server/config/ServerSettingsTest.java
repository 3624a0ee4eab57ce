package dev.tagflow.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.server.config.ServerSettings.Destination;
import dev.tagflow.server.config.ServerSettings.Project;
import dev.tagflow.store.DatabaseUrl;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {

  @Test
  void aProjectPermitsTheNamespacesItsGlobsMatchOnItsClusters() {
    Project shop =
        new Project(
            "shop",
            List.of(new Destination("production", "shop-*"), new Destination("*", "shop-dev")),
            List.of());

    assertThat(shop.permits("production", "shop-web")).isTrue();
    assertThat(shop.permits("production", "shop-")).isTrue();
    assertThat(shop.permits("staging", "shop-dev")).isTrue();
    assertThat(shop.permits("staging", "shop-web")).isFalse();
    assertThat(shop.permits("production", "payments")).isFalse();
    assertThat(new Destination("local", "team-?").matches("local", "team-a")).isTrue();
    assertThat(new Destination("local", "team-?").matches("local", "team-ab")).isFalse();
    assertThat(new Destination("local", "a.b").matches("local", "axb")).isFalse();
  }

  @Test
  void theDefaultProjectPermitsEverythingUnlessTheFileDefinesIt() {
    ServerSettings settings = ServerSettings.defaults();
    assertThat(settings.project("default").orElseThrow().permits("any", "thing")).isTrue();
    assertThat(settings.project("shop")).isEmpty();

    ServerSettings defined =
        new ServerSettings(
            settings.listen(),
            settings.dataDir(),
            settings.database(),
            settings.publicUrl(),
            settings.webhookSecretFile(),
            settings.gitTokenFile(),
            settings.clusters(),
            settings.repositories(),
            settings.applications(),
            settings.reconcile(),
            List.of(
                new Project("default", List.of(new Destination("local", "sandbox")), List.of())),
            settings.pipeline(),
            settings.actionsSource(),
            settings.security());
    assertThat(defined.project("default").orElseThrow().permits("local", "kube-system")).isFalse();
  }

  @Test
  void whatOnlyARestartChangesIsNamedAndKeptAsRunning() {
    ServerSettings running = ServerSettings.defaults();
    ServerSettings edited =
        new ServerSettings(
            new ListenAddress("0.0.0.0", 8080),
            Optional.of(Path.of("/var/lib/tagflow")),
            Optional.of(new DatabaseUrl.Postgresql("jdbc:postgresql://db:5432/tagflow")),
            running.publicUrl(),
            running.webhookSecretFile(),
            running.gitTokenFile(),
            List.of(),
            running.repositories(),
            running.applications(),
            running.reconcile(),
            running.projects(),
            new ServerSettings.Pipeline(List.of(Path.of("/opt/jdks")), 100),
            running.actionsSource(),
            running.security());

    assertThat(edited.restartNeededFrom(running))
        .containsExactly("listen", "dataDir", "database", "pipeline");
    ServerSettings applicable = edited.applicableTo(running);
    assertThat(applicable.listen()).isEqualTo(running.listen());
    assertThat(applicable.dataDir()).isEmpty();
    assertThat(applicable.database()).isEmpty();
    assertThat(applicable.clusters()).isEmpty();
    assertThat(applicable.pipeline()).isEqualTo(ServerSettings.Pipeline.DEFAULTS);
    assertThat(applicable.restartNeededFrom(running)).isEmpty();
  }
}
