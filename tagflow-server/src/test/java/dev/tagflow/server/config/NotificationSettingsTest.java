package dev.tagflow.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.Problem;
import dev.tagflow.server.config.NotificationWebhook.Format;
import dev.tagflow.server.config.NotificationWebhook.SecretSource;
import dev.tagflow.server.config.NotificationWebhook.Trigger;
import dev.tagflow.yaml.YamlLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project's {@code notifications:} as the settings reader reads and refuses them. */
class NotificationSettingsTest {

  @TempDir Path temp;
  private Path conf;
  private ServerSettingsReader reader;

  @BeforeEach
  void aFolderWithAKey() throws IOException {
    conf = Files.createDirectories(temp.resolve("etc/tagflow"));
    Files.createDirectories(conf.resolve("secrets"));
    Files.writeString(conf.resolve("secrets/team-webhook"), "not really secret\n");
    reader = new ServerSettingsReader(YamlLimits.defaults(), temp);
  }

  @Test
  void readsWebhooksWithTheirFormatEventsAndKeyFile() {
    ServerSettings settings =
        loaded(
            """
            projects:
              - name: shop
                destinations: [{cluster: local, namespace: 'shop-*'}]
                notifications:
                  - name: team
                    url: https://hooks.example.com/tagflow
                    on: [sync-failed, health-degraded, run-failed]
                    secret: {file: secrets/team-webhook}
                  - name: chat
                    url: https://chat.example.com/services/T0/B0
                    format: slack
            """);

    assertThat(settings.project("shop").orElseThrow().notifications())
        .containsExactly(
            new NotificationWebhook(
                "team",
                URI.create("https://hooks.example.com/tagflow"),
                Format.GENERIC,
                EnumSet.of(Trigger.SYNC_FAILED, Trigger.HEALTH_DEGRADED, Trigger.RUN_FAILED),
                Optional.of(new SecretSource.File(conf.resolve("secrets/team-webhook")))),
            new NotificationWebhook(
                "chat",
                URI.create("https://chat.example.com/services/T0/B0"),
                Format.SLACK,
                EnumSet.allOf(Trigger.class),
                Optional.empty()));
  }

  @Test
  void everyMistakeOfAWebhookIsPlacedWhereItIs() {
    assertThat(
            problems(
                """
                projects:
                  - name: shop
                    destinations: [{cluster: local, namespace: shop}]
                    notifications:
                      - name: team
                        url: https://bot:hunter2@hooks.example.com/tagflow
                        on: [sync-succeded, deployed]
                        secret: {file: secrets/team-webhook}
                      - name: keyless
                        url: ftp://hooks.example.com
                      - name: both
                        url: http://127.0.0.1:9000/hook
                        format: teams
                        secret: {file: secrets/team-webhook, env: KEY}
                      - name: team
                        url: http://127.0.0.1:9000/hook
                        on: []
                        secret: {env: TAGFLOW_TEST_SURELY_UNSET_VARIABLE}
                """))
        .containsExactly(
            "tagflow.yaml:6:14: projects[0].notifications[0].url must not hold credentials"
                + " (before its '@'): write https://hooks.example.com/tagflow and let the"
                + " receiver check the signature instead",
            "tagflow.yaml:7:14: projects[0].notifications[0].on 'sync-succeded' is not an event"
                + " Tagflow sends; did you mean 'sync-succeeded'? (events: sync-succeeded,"
                + " sync-failed, health-degraded, rollback, approval-requested, run-failed)",
            "tagflow.yaml:7:29: projects[0].notifications[0].on 'deployed' is not an event"
                + " Tagflow sends (events: sync-succeeded, sync-failed, health-degraded, rollback,"
                + " approval-requested, run-failed)",
            "tagflow.yaml:9:9: missing projects[0].notifications[1].secret: a generic webhook's"
                + " body is signed so its receiver can trust it; give secret: {file: <file holding"
                + " the key>} or secret: {env: <VARIABLE>}",
            "tagflow.yaml:10:14: projects[0].notifications[1].url must be an http or https URL"
                + " with a host (e.g. https://hooks.example.com/tagflow)",
            "tagflow.yaml:13:17: projects[0].notifications[2].format 'teams' is not a format;"
                + " write generic or slack",
            "tagflow.yaml:14:17: projects[0].notifications[2].secret must give exactly one of"
                + " file (a file holding the key) or env (an environment variable holding it); the"
                + " key itself never goes in this file",
            "tagflow.yaml:15:15: a second webhook named 'team' in this project (the first is at"
                + " line 5); give each its own name",
            "tagflow.yaml:17:13: projects[0].notifications[3].on is empty: name the events to"
                + " send, or leave it out to send all of them",
            "tagflow.yaml:18:23: projects[0].notifications[3].secret.env names"
                + " TAGFLOW_TEST_SURELY_UNSET_VARIABLE, which is not set (or empty) for the server;"
                + " set it before starting it");
  }

  @Test
  void theKeyItselfIsNeverEchoedInAProblem() {
    List<String> problems =
        problems(
            """
            projects:
              - name: shop
                destinations: [{cluster: local, namespace: shop}]
                notifications:
                  - name: team
                    url: https://hooks.example.com/tagflow
                    secret: {value: s3cr3t-key-in-plain-text}
            """);

    assertThat(problems).isNotEmpty().noneMatch(p -> p.contains("s3cr3t-key-in-plain-text"));
  }

  private ServerSettings loaded(String text) {
    SettingsRead read = reader.read("tagflow.yaml", text, conf);
    if (read instanceof SettingsRead.Refused refused) {
      throw new AssertionError("refused: " + refused.message());
    }
    return ((SettingsRead.Loaded) read).settings();
  }

  private List<String> problems(String text) {
    SettingsRead read = reader.read("tagflow.yaml", text, conf);
    if (read instanceof SettingsRead.Loaded loaded) {
      throw new AssertionError("loaded: " + loaded.settings());
    }
    return ((SettingsRead.Refused) read).problems().stream().map(Problem::toString).toList();
  }
}
