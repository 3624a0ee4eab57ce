package dev.tagflow.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.Problem;
import dev.tagflow.schedule.CronSchedule;
import dev.tagflow.schedule.Selector;
import dev.tagflow.schedule.SyncWindow;
import dev.tagflow.yaml.YamlLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project's {@code syncWindows:} as the settings reader reads and refuses them. */
class SyncWindowSettingsTest {

  @TempDir Path temp;
  private Path conf;
  private ServerSettingsReader reader;

  @BeforeEach
  void aFolder() throws IOException {
    conf = Files.createDirectories(temp.resolve("etc/tagflow"));
    reader = new ServerSettingsReader(YamlLimits.defaults(), temp);
  }

  @Test
  void readsWindowsWithTheirZoneManualSyncAndSelector() {
    ServerSettings settings =
        loaded(
            """
            projects:
              - name: shop
                destinations: [{cluster: local, namespace: 'shop-*'}]
                syncWindows:
                  - kind: deny
                    schedule: '0 22 * * 1-5'
                    duration: 10h
                    timeZone: Europe/Berlin
                    manualSync: true
                    namespaces: ['shop-prod']
                  - {kind: allow, schedule: '@daily', duration: 1h30m, applications: ['*']}
            """);

    assertThat(settings.project("shop").orElseThrow().syncWindows())
        .containsExactly(
            new SyncWindow.Scoped(
                new SyncWindow(
                    SyncWindow.Kind.DENY,
                    CronSchedule.parse("0 22 * * 1-5"),
                    Duration.ofHours(10),
                    ZoneId.of("Europe/Berlin"),
                    true),
                new Selector(List.of(), List.of("shop-prod"), List.of())),
            new SyncWindow.Scoped(
                new SyncWindow(
                    SyncWindow.Kind.ALLOW,
                    CronSchedule.parse("@daily"),
                    Duration.ofMinutes(90),
                    ZoneId.of("UTC"),
                    false),
                Selector.all()));
    // Read twice, the same file is the same settings: a reload changes nothing.
    assertThat(
            loaded(
                    """
                    projects:
                      - name: shop
                        destinations: [{cluster: local, namespace: 'shop-*'}]
                        syncWindows: [{kind: allow, schedule: '@daily', duration: 1h, applications: ['*']}]
                    """)
                .project("shop"))
        .isEqualTo(
            loaded(
                    """
                    projects:
                      - name: shop
                        destinations: [{cluster: local, namespace: 'shop-*'}]
                        syncWindows: [{kind: allow, schedule: '@daily', duration: 1h, applications: ['*']}]
                    """)
                .project("shop"));
  }

  @Test
  void everyMistakeOfAWindowIsPlacedWhereItIs() {
    List<String> problems =
        problems(
            """
            projects:
              - name: shop
                destinations: [{cluster: local, namespace: shop}]
                syncWindows:
                  - kind: block
                    schedule: '0 25 * * *'
                    duration: 90
                    timeZone: Mars/Olympus
                    manualSync: yes please
                    applications: ['*']
                  - kind: deny
                    schedule: '@daily'
                    duration: 30s
                    applications: ['*']
                    namspaces: [shop]
                  - {kind: allow, schedule: '* * * *'}
            """);

    assertThat(problems)
        .anySatisfy(
            p -> assertThat(p).contains("5:").contains("kind 'block' must be allow or deny"))
        .anySatisfy(
            p -> assertThat(p).contains("6:").contains("schedule '0 25 * * *'").contains("hour"))
        .anySatisfy(p -> assertThat(p).contains("7:").contains("duration '90'"))
        .anySatisfy(p -> assertThat(p).contains("8:").contains("'Mars/Olympus' is not a time zone"))
        .anySatisfy(p -> assertThat(p).contains("9:").contains("must be true or false"))
        .anySatisfy(p -> assertThat(p).contains("13:").contains("must be at least 60s"))
        .anySatisfy(p -> assertThat(p).contains("15:").contains("namspaces"))
        .anySatisfy(p -> assertThat(p).contains("16:").contains("schedule '* * * *'"))
        .anySatisfy(p -> assertThat(p).contains("16:").contains("missing").contains("duration"))
        .anySatisfy(
            p -> assertThat(p).contains("16:").contains("must name what the window applies to"));
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
