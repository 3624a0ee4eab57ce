package dev.tagflow.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.schedule.Selector;
import dev.tagflow.schedule.SyncWindow;
import dev.tagflow.schedule.SyncWindows;
import dev.tagflow.schedule.WindowVerdict;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.server.config.ServerSettingsReader;
import dev.tagflow.server.config.SettingsRead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsProjectsTest {

  @TempDir Path temp;

  private SettingsProjects projects(String yaml) throws IOException {
    Path file = temp.resolve("tagflow.yaml");
    Files.writeString(file, yaml);
    ServerSettings settings =
        switch (ServerSettingsReader.forUser().read(file)) {
          case SettingsRead.Loaded loaded -> loaded.settings();
          case SettingsRead.Refused refused -> throw new AssertionError(refused.message());
        };
    return new SettingsProjects(settings, file.toString());
  }

  private static Application app(String project) {
    return new ApplicationLoader()
        .load(
            "web.yaml",
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: web}
            spec:
              project: %s
              source: {repoURL: "https://git.example.com/env.git", path: web}
              destination: {cluster: local, namespace: shop-web}
            """
                .formatted(project))
        .getFirst();
  }

  private static final String SHOP =
      """
      clusters: [{name: local}, {name: prod}]
      projects:
        - name: shop
          destinations:
            - {cluster: prod, namespace: 'shop-*'}
            - {cluster: local, namespace: shop-dev}
          healthRules:
            - group: cert-manager.io
              kind: Certificate
              cases:
                - when: [{condition: Ready, status: "True"}]
                  health: Healthy
              otherwise: Progressing
      """;

  @Test
  void aProjectPermitsOnlyItsDestinations() throws IOException {
    SettingsProjects projects = projects(SHOP);

    assertThat(projects.refusal(app("shop"), "prod", "shop-web")).isEmpty();
    assertThat(projects.refusal(app("shop"), "local", "shop-dev")).isEmpty();
    assertThat(projects.refusal(app("shop"), "local", "shop-web"))
        .get()
        .asString()
        .contains(
            "project 'shop' does not let its applications put objects in namespace 'shop-web'")
        .contains("of cluster 'local' (it allows prod/shop-*, local/shop-dev)")
        .contains(temp.resolve("tagflow.yaml").toString());
    assertThat(projects.healthRules("shop")).hasSize(1);
  }

  @Test
  void anUndefinedProjectIsRefusedAndDefaultPermitsEverything() throws IOException {
    SettingsProjects projects = projects(SHOP);

    assertThat(projects.refusal(app("default"), "prod", "kube-system")).isEmpty();
    assertThat(projects.refusal(app("payments"), "local", "shop-dev"))
        .get()
        .asString()
        .contains("belongs to project 'payments', which")
        .contains("does not define (projects: shop)");
    assertThat(projects.healthRules("payments")).isEmpty();
  }

  @Test
  void aProjectsWindowsSelectItsApplicationsAndDecideWhetherTheyMaySync() throws IOException {
    SettingsProjects projects =
        projects(
            """
            clusters: [{name: local}, {name: prod}]
            projects:
              - name: shop
                destinations: [{cluster: '*', namespace: 'shop-*'}]
                syncWindows:
                  - {kind: deny, schedule: '0 22 * * *', duration: 10h, clusters: [prod]}
                  - {kind: allow, schedule: '0 8 * * *', duration: 1h, applications: ['web*'],
                     manualSync: true}
            """);
    List<SyncWindow.Scoped> windows = projects.syncWindows("shop");
    Instant night = Instant.parse("2026-12-07T23:00:00Z");

    SyncWindows prod =
        new SyncWindows(SyncWindow.matching(windows, new Selector.Target("db", "shop-db", "prod")));
    assertThat(prod.verdict(night, false))
        .isInstanceOfSatisfying(
            WindowVerdict.Closed.class,
            c ->
                assertThat(c.message())
                    .isEqualTo(
                        "the deny window '0 22 * * *' for 10h (UTC) is open; the next window"
                            + " opens at 2026-12-08T08:00:00Z"));
    // The allow window selects web by name: outside it only a person may sync.
    SyncWindows web =
        new SyncWindows(
            SyncWindow.matching(windows, new Selector.Target("web", "shop-web", "local")));
    assertThat(web.verdict(night, false)).isInstanceOf(WindowVerdict.Closed.class);
    assertThat(web.verdict(night, true)).isEqualTo(new WindowVerdict.Open(true));
    assertThat(web.verdict(Instant.parse("2026-12-08T08:30:00Z"), false))
        .isEqualTo(new WindowVerdict.Open(false));
    assertThat(projects.syncWindows("payments")).isEmpty();
  }
}
