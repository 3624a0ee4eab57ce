package dev.tagflow.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.schedule.SyncWindows;
import dev.tagflow.schedule.WindowVerdict;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.yaml.YamlLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The environment policy's sync windows as the controller gets them, read from a real Git
 * repository at the commit the application's target revision names: by environment, by the policy's
 * application list, none without the file, and a policy with a mistake closing syncs with its
 * file:line:column.
 */
class PolicyWindowsTest {

  private static final Instant MONDAY_NOON = Instant.parse("2026-12-07T12:00:00Z");

  @TempDir Path temp;

  private GitWorkTree repo;
  private RepoCache repos;
  private PolicyWindows windows;

  @BeforeEach
  void open() {
    repo = GitWorkTree.init(temp.resolve("env"));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    repos =
        new RepoCache(
            temp.resolve("repos"), RemoteAccess.anonymous(meters), meters, Clock.systemUTC());
    windows = new PolicyWindows(repos, YamlLimits.defaults());
  }

  @AfterEach
  void close() {
    repos.close();
  }

  private static final String POLICY =
      """
      apiVersion: tagflow.dev/v1alpha1
      kind: EnvironmentPolicy
      environments:
        - name: dev
          accept: [{tags: "v*"}]
          promotion: auto
        - name: production
          accept: [{tags: "v*"}]
          promotion: {approval: {required: 1}}
          applications: [checkout]
          syncWindows:
            - {kind: deny, schedule: "0 9 * * MON", duration: 8h, timeZone: UTC}
      """;

  private Application app(String name, String path) {
    return new ApplicationLoader()
        .load(
            name + ".yaml",
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s}
            spec:
              source: {repoURL: "%s", targetRevision: main, path: %s}
              destination: {cluster: local, namespace: %s}
            """
                .formatted(name, repo.url(), path, name))
        .getFirst();
  }

  private SyncWindows refreshed(Application app) {
    repos.fetch(app.source().repoURL());
    return windows.of(app);
  }

  @Test
  void theEnvironmentsWindowsApplyToItsApplicationsByFolderOrByTheApplicationsList() {
    repo.write("environments/policy.yaml", POLICY);
    repo.write("environments/production/values.yaml", "image: {tag: v1}\n");
    repo.write("environments/dev/values.yaml", "image: {tag: v1}\n");
    repo.commit("policy");

    SyncWindows production = refreshed(app("web-production", "environments/production"));
    assertThat(production.windows()).hasSize(1);
    assertThat(production.verdict(MONDAY_NOON, true))
        .isInstanceOfSatisfying(
            WindowVerdict.Closed.class,
            c -> {
              assertThat(c.why()).contains("deny window '0 9 * * MON' for 8h (UTC)");
              assertThat(c.opensAt()).contains(Instant.parse("2026-12-07T17:00:00Z"));
            });
    // Listed by name in the policy, whatever its folder says.
    assertThat(refreshed(app("checkout", "environments/dev")).windows()).hasSize(1);
    assertThat(refreshed(app("web-dev", "environments/dev")).verdict(MONDAY_NOON, false))
        .isEqualTo(new WindowVerdict.Open(false));
    assertThat(refreshed(app("other", "apps/other")).windows()).isEmpty();
  }

  @Test
  void aRepositoryWithoutAPolicyHasNoWindowsAndACommitThatAddsOneIsFollowed() {
    repo.write("environments/production/values.yaml", "image: {tag: v1}\n");
    repo.commit("values");
    Application app = app("web-production", "environments/production");
    assertThat(refreshed(app)).isEqualTo(SyncWindows.none());

    repo.write("environments/policy.yaml", POLICY);
    repo.commit("policy");
    assertThat(refreshed(app).verdict(MONDAY_NOON, false)).isInstanceOf(WindowVerdict.Closed.class);

    repo.remove("environments/policy.yaml");
    repo.commit("no policy");
    assertThat(refreshed(app).verdict(MONDAY_NOON, false)).isEqualTo(new WindowVerdict.Open(false));
  }

  @Test
  void aBadWindowKeepsSyncsClosedNamingFileLineAndWhatToWrite() {
    repo.write(
        "environments/policy.yaml",
        POLICY.replace(
            "{kind: deny, schedule: \"0 9 * * MON\", duration: 8h, timeZone: UTC}",
            "{kind: sometimes, schedule: \"0 25 * * MON\", duration: 8 hours}"));
    repo.write("environments/production/values.yaml", "image: {tag: v1}\n");
    repo.commit("bad window");

    SyncWindows production = refreshed(app("web-production", "environments/production"));
    // A person may not sync either: the deny window someone meant to write is not known.
    assertThat(production.verdict(MONDAY_NOON, true))
        .isInstanceOfSatisfying(
            WindowVerdict.Closed.class,
            c ->
                assertThat(c.message())
                    .contains("environments/policy.yaml has 3 mistakes")
                    .contains(
                        "environments/policy.yaml:12:16: a sync window's kind is allow or deny:"
                            + " write kind: deny")
                    .contains(", not 'sometimes'")
                    .contains("environments/policy.yaml:12:37: ")
                    .contains("'25' is not a hour")
                    .contains("(write five cron fields: minute hour day-of-month month weekday)")
                    .contains(
                        "environments/policy.yaml:12:63: duration must be a positive duration such"
                            + " as 1h30m or 45m, not '8 hours'")
                    .endsWith("syncs stay closed until the sync windows are fixed"));
    // Every environment of that policy: dev too.
    assertThat(refreshed(app("web-dev", "environments/dev")).verdict(MONDAY_NOON, false))
        .isInstanceOf(WindowVerdict.Closed.class);
  }
}
