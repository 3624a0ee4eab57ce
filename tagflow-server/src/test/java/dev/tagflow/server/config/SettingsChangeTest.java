package dev.tagflow.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.server.config.ServerSettings.ApplicationFiles;
import dev.tagflow.server.config.ServerSettings.Cluster;
import dev.tagflow.server.config.ServerSettings.Repository;
import dev.tagflow.source.RepoCredentials;
import dev.tagflow.source.RepoEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsChangeTest {

  @Test
  void namesWhatWasAddedRemovedAndChangedByName() {
    ServerSettings before =
        settings(
            List.of(repository("envs", "https://h/envs.git"), repository("old", "https://h/o.git")),
            List.of(Cluster.local()),
            List.of(new ApplicationFiles("envs", "main", "apps")));
    ServerSettings after =
        settings(
            List.of(
                repository("envs", "https://h/environments.git"),
                repository("web", "https://h/w.git")),
            List.of(
                Cluster.local(), new Cluster("prod", Optional.of(Path.of("/k")), Optional.of("p"))),
            List.of(new ApplicationFiles("envs", "main", "apps")));

    SettingsChange change = new SettingsChange(before, after);

    assertThat(change.repositories().added()).extracting(Repository::name).containsExactly("web");
    assertThat(change.repositories().removed()).extracting(Repository::name).containsExactly("old");
    assertThat(change.repositories().changed())
        .extracting(Repository::url)
        .containsExactly("https://h/environments.git");
    assertThat(change.clusters().added()).extracting(Cluster::name).containsExactly("prod");
    assertThat(change.applications().isEmpty()).isTrue();
    assertThat(change.projects().isEmpty()).isTrue();
    assertThat(change.reconcileChanged()).isFalse();
    assertThat(change.isEmpty()).isFalse();
    assertThat(change.summary()).isEqualTo("repositories +web -old ~envs; clusters +prod");
  }

  @Test
  void settingsThatDifferOnlyInWhatARestartAppliesAreNoChangeToFollow() {
    ServerSettings before = ServerSettings.defaults();
    ServerSettings after =
        new ServerSettings(
            new ListenAddress("0.0.0.0", 7070),
            before.dataDir(),
            before.database(),
            before.publicUrl(),
            before.webhookSecretFile(),
            before.gitTokenFile(),
            before.clusters(),
            before.repositories(),
            before.applications(),
            before.reconcile(),
            before.projects(),
            before.pipeline(),
            before.actionsSource(),
            before.security());

    assertThat(new SettingsChange(before, after).isEmpty()).isTrue();
    assertThat(new SettingsChange(before, after).summary())
        .isEqualTo("nothing the running server follows");
  }

  private static Repository repository(String name, String url) {
    return new Repository(
        new RepoEntry(name, url, new RepoCredentials.None()), Duration.ofMinutes(3));
  }

  private static ServerSettings settings(
      List<Repository> repositories, List<Cluster> clusters, List<ApplicationFiles> applications) {
    ServerSettings d = ServerSettings.defaults();
    return new ServerSettings(
        d.listen(),
        d.dataDir(),
        d.database(),
        d.publicUrl(),
        d.webhookSecretFile(),
        d.gitTokenFile(),
        clusters,
        repositories,
        applications,
        d.reconcile(),
        d.projects(),
        d.pipeline(),
        d.actionsSource(),
        d.security());
  }
}
